package dev.headroom.edge.proxy;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of request durations: fixed bucket bounds, a striped counter per bucket, so that recording
 * from several event loops neither locks nor allocates.
 */
final class LatencyBuckets {
    /** Upper bounds in seconds: 0.5 ms to 10 s, roughly ×2.5 apart. */
    static final double[] BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final long[] BOUND_NANOS = new long[BOUNDS.length];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUND_NANOS[i] = Math.round(BOUNDS[i] * 1e9);
        }
    }

    /** Per bucket, not cumulative; the last one past every bound. */
    private final LongAdder[] counts = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LatencyBuckets() {
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long nanos) {
        int i = 0;
        while (i < BOUND_NANOS.length && nanos > BOUND_NANOS[i]) {
            i++;
        }
        counts[i].increment();
        sumNanos.add(nanos);
    }

    /** Appends the {@code _bucket}, {@code _sum} and {@code _count} lines of {@code name} with {@code labels} (no braces). */
    void appendTo(StringBuilder out, String name, String labels) {
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i].sum();
            String le = i < BOUNDS.length ? java.math.BigDecimal.valueOf(BOUNDS[i]).toPlainString() : "+Inf";
            out.append(name).append("_bucket{").append(labels).append(",le=\"").append(le).append("\"} ").append(cumulative).append('\n');
        }
        out.append(name).append("_sum{").append(labels).append("} ").append(sumNanos.sum() / 1e9).append('\n');
        out.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
    }
}
