package dev.headroom.lab.regression;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gate's verdict: one {@link Change} per figure compared, and how the intervals were made.
 *
 * @param reference  the reference as given: a server's origin, or a stored result's file
 * @param method     {@code interleaved} (the reference measured in the same run, round by round) or {@code stored}
 * @param units      rounds (interleaved) or per-second windows of the target (stored) that were resampled
 * @param resampling how: {@code paired rounds} or {@code moving blocks of N s}
 * @param resamples  bootstrap resamples drawn
 * @param seed       the resampling's seed (fixed, so a verdict can be reproduced from the same runs)
 * @param threshold  the largest tolerated change, as a fraction (0.10 for 10 %)
 * @param changes    the figures, in {@link Figure} order
 */
public record Comparison(String reference, String method, int units, String resampling, int resamples, long seed,
                         double threshold, List<Change> changes) {

    public Comparison {
        changes = List.copyOf(changes);
    }

    /** True when any figure regressed (exit code 4). */
    public boolean regressed() {
        return changes.stream().anyMatch(Change::regressed);
    }

    /** One line per figure (see {@link Change#line()}). */
    public List<String> lines() {
        return changes.stream().map(Change::line).toList();
    }

    /**
     * The {@code regression} object of the JSON result: {@code valid}, {@code regressed}, {@code reference},
     * {@code method}, {@code units}, {@code resampling}, {@code resamples}, {@code seed}, {@code confidence},
     * {@code threshold}, and {@code figures} by name, each {@code target}, {@code reference}, {@code unit},
     * {@code change}, {@code ci} [low, high], {@code threshold}, {@code outcome} ({@code regressed}, {@code within},
     * {@code not_shown}) and {@code regressed}. Changes and thresholds are fractions.
     */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", true);
        m.put("regressed", regressed());
        m.put("reference", reference);
        m.put("method", method);
        m.put("units", units);
        m.put("resampling", resampling);
        m.put("resamples", resamples);
        m.put("seed", seed);
        m.put("confidence", RegressionGate.CONFIDENCE);
        m.put("threshold", threshold);
        Map<String, Object> figures = new LinkedHashMap<>();
        for (Change c : changes) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("target", round(c.target()));
            f.put("reference", round(c.reference()));
            f.put("unit", c.figure().unit());
            f.put("change", round(c.change()));
            f.put("ci", List.of(round(c.low()), round(c.high())));
            f.put("threshold", c.threshold());
            f.put("outcome", c.outcome().name().toLowerCase(java.util.Locale.ROOT));
            f.put("regressed", c.regressed());
            figures.put(c.figure().label(), f);
        }
        m.put("figures", figures);
        return m;
    }

    /** The {@code regression} object when no comparison was made because a run was invalid. */
    public static Map<String, Object> invalidJson(String reference, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", false);
        m.put("regressed", false);
        m.put("reference", reference);
        m.put("reason", reason);
        m.put("figures", Map.of());
        return m;
    }

    private static Object round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : null;
    }
}
