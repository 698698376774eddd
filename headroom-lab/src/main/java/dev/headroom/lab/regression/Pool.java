package dev.headroom.lab.regression;

import java.util.Arrays;
import java.util.List;

/**
 * One side's units, laid out so that a resample costs one pass: the distinct bucket values of all units
 * (ascending), each unit's buckets as positions among them, and a scratch array the weighted counts are added
 * into. {@link #figures} then reads p50 and p99 off the pooled counts exactly as HdrHistogram's
 * {@code getValueAtPercentile} reads them off a histogram the units were added into, so the figures of the
 * sample itself (every weight 1) are those of the merged run.
 *
 * <p>Not thread-safe (the scratch array); one bootstrap uses it from one thread.
 */
final class Pool {
    static final int P50 = 0;
    static final int P99 = 1;
    static final int THROUGHPUT = 2;
    static final int FIGURES = 3;

    private final long[] values;
    private final int[][] positions;
    private final long[][] counts;
    private final long[] totals;
    private final long[] requests;
    private final double[] seconds;
    private final long[] pooled;

    Pool(List<Sample> units) {
        if (units.isEmpty()) {
            throw new IllegalArgumentException("a side needs at least one unit");
        }
        values = units.stream().flatMapToLong(u -> Arrays.stream(u.values())).distinct().sorted().toArray();
        int n = units.size();
        positions = new int[n][];
        counts = new long[n][];
        totals = new long[n];
        requests = new long[n];
        seconds = new double[n];
        for (int i = 0; i < n; i++) {
            Sample u = units.get(i);
            positions[i] = Arrays.stream(u.values()).mapToInt(v -> Arrays.binarySearch(values, v)).toArray();
            counts[i] = u.counts();
            totals[i] = u.total();
            requests[i] = u.requests();
            seconds[i] = u.seconds();
        }
        pooled = new long[values.length];
    }

    int size() {
        return totals.length;
    }

    /**
     * Writes the pooled p50 and p99 (ms) and throughput (requests/s) of the units, unit i counted
     * {@code weights[i]} times, into {@code out} at {@link #P50}, {@link #P99} and {@link #THROUGHPUT}.
     */
    void figures(int[] weights, double[] out) {
        Arrays.fill(pooled, 0);
        long total = 0;
        long reqs = 0;
        double secs = 0;
        for (int i = 0; i < weights.length; i++) {
            int w = weights[i];
            if (w == 0) {
                continue;
            }
            int[] at = positions[i];
            long[] c = counts[i];
            for (int j = 0; j < at.length; j++) {
                pooled[at[j]] += w * c[j];
            }
            total += w * totals[i];
            reqs += w * requests[i];
            secs += w * seconds[i];
        }
        long rank50 = rank(50, total);
        long rank99 = rank(99, total);
        double p50 = 0;
        double p99 = 0;
        long cumulative = 0;
        for (int i = 0; i < pooled.length && total > 0; i++) {
            long before = cumulative;
            cumulative += pooled[i];
            if (before < rank50 && cumulative >= rank50) {
                p50 = values[i] / 1000.0;
            }
            if (cumulative >= rank99) {
                p99 = values[i] / 1000.0;
                break;
            }
        }
        out[P50] = p50;
        out[P99] = p99;
        out[THROUGHPUT] = secs > 0 ? reqs / secs : 0;
    }

    /** The count at or below which {@code percentile} lies, as HdrHistogram counts it. */
    private static long rank(double percentile, long total) {
        double requested = Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0), 100);
        return Math.max(1, (long) Math.ceil(requested * total / 100));
    }
}
