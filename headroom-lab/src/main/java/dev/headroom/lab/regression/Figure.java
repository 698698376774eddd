package dev.headroom.lab.regression;

/**
 * What the gate compares: the p50 and p99 of the corrected latency (in the closed model corrected and uncorrected
 * coincide), in milliseconds, and, in the closed model only, the throughput in requests per second (every
 * request completed, journeys' later steps included). An open-model run's throughput is the plan's, so it is not
 * compared.
 */
public enum Figure {
    P50("p50", "ms", true),
    P99("p99", "ms", true),
    THROUGHPUT("throughput", "req/s", false);

    private final String label;
    private final String unit;
    private final boolean higherIsWorse;

    Figure(String label, String unit, boolean higherIsWorse) {
        this.label = label;
        this.unit = unit;
        this.higherIsWorse = higherIsWorse;
    }

    /** As printed and in the JSON: {@code p50}, {@code p99}, {@code throughput}. */
    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }

    /** True for latency (a rise is a regression), false for throughput (a fall is). */
    public boolean higherIsWorse() {
        return higherIsWorse;
    }
}
