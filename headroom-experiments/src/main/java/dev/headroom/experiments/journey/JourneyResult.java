package dev.headroom.experiments.journey;

import java.util.List;

/**
 * The journey as measured: every step at one offered rate, and the guides' claims beside what was measured.
 *
 * @param offeredRate    requests/s every step's latency was measured at
 * @param slo            the SLO capacity was measured against
 * @param valid          whether every step's figures come from valid runs
 * @param steps          in journey order
 * @param claims         the guides' claims, each beside the figure measured here
 * @param settings       what was run, for the reader
 * @param elapsedSeconds the whole journey, servers and seeding included
 */
public record JourneyResult(double offeredRate, String slo, boolean valid, List<StepResult> steps, List<Claim> claims,
                            Settings settings, double elapsedSeconds) {

    /**
     * @param claim    the guides' words
     * @param measured what the journey measured for it, with the figures it compared
     * @param ratio    the measured factor (or share) the claim is about; null when the steps it needs did not run
     * @param holds    whether the measured figure reaches the claim
     */
    public record Claim(String claim, String measured, Double ratio, boolean holds) {
    }

    /** @param slowKinds request kinds whose baseline p50 was at least {@value Journey#SLOW_MS} ms */
    public record Settings(long users, long products, long orders, int nodes, String scenario, String timings,
                           List<String> slowKinds, String machine, boolean quick) {
    }
}
