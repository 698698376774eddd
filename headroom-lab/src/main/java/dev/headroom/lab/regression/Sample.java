package dev.headroom.lab.regression;

import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One resampling unit of the bootstrap: a whole run (one side of one round) or one second of a run. It keeps its
 * corrected latency as HdrHistogram's non-empty buckets (each bucket's highest equivalent value in microseconds,
 * ascending, and its count), so that a resample can pool units by adding counts, and its requests and measured
 * seconds for the throughput.
 */
record Sample(long[] values, long[] counts, long requests, double seconds) {

    static Sample of(RunResult run) {
        return of(run.corrected(), run.requests(), run.durationSeconds());
    }

    static Sample of(Interval window) {
        return of(window.corrected(), window.requests(), window.seconds());
    }

    static Sample of(Histogram h, long requests, double seconds) {
        List<long[]> buckets = new ArrayList<>();
        for (HistogramIterationValue v : h.recordedValues()) {
            buckets.add(new long[] {v.getValueIteratedTo(), v.getCountAtValueIteratedTo()});
        }
        long[] values = new long[buckets.size()];
        long[] counts = new long[buckets.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = buckets.get(i)[0];
            counts[i] = buckets.get(i)[1];
        }
        return new Sample(values, counts, requests, seconds);
    }

    long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }
}
