package dev.headroom.experiments.journey;

import dev.headroom.lab.run.Latency;
import org.HdrHistogram.Histogram;

/**
 * Percentiles reported only with enough samples behind them: the p-th percentile needs at least 10 samples above
 * it, {@code 10 / (1 - p)} in all (p50: 20, p90: 100, p99: 1,000, p99.9: 10,000). With fewer, the "percentile" is
 * one of the few largest samples, and says more about luck than about the system: null instead.
 */
final class Percentiles {
    private Percentiles() {
    }

    static long samplesFor(double percentile) {
        return Math.round(10 / (1 - percentile / 100));
    }

    /** Milliseconds at {@code percentile} (0..100) of a microsecond histogram, or null with too few samples. */
    static Double at(Histogram h, double percentile) {
        return h.getTotalCount() < samplesFor(percentile) ? null : Latency.at(h, percentile);
    }
}
