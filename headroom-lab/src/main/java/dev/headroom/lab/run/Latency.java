package dev.headroom.lab.run;

import org.HdrHistogram.Histogram;

/** Percentiles of a microsecond histogram, in milliseconds. */
public record Latency(double p50, double p90, double p99, double p999, double p9999, double max, double mean) {
    public static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, 0);
        }
        return new Latency(ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getValueAtPercentile(99.99)), ms(h.getMaxValue()), h.getMean() / 1000.0);
    }

    /** The value at {@code percentile} (0..100) in milliseconds. */
    public static double at(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : ms(h.getValueAtPercentile(percentile));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
