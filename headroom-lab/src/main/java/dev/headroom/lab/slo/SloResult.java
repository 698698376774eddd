package dev.headroom.lab.slo;

/** The verdict on one SLO: what was asked, whether it held, and what was observed (worst window for windowed SLOs). */
public record SloResult(String expr, boolean passed, String observed, double observedValue) {
}
