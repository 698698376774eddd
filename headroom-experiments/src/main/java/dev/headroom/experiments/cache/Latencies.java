package dev.headroom.experiments.cache;

import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import java.util.List;
import org.HdrHistogram.Histogram;

/** The nodes' runs as one distribution: their corrected histograms added, never percentiles averaged. */
final class Latencies {
    private Latencies() {
    }

    static Latency of(List<RunResult> runs) {
        Histogram all = new Histogram(3);
        runs.forEach(r -> all.add(r.corrected()));
        return Latency.of(all);
    }

    /** The latency of one request name across the runs. */
    static Latency of(List<RunResult> runs, String name) {
        Histogram all = new Histogram(3);
        runs.forEach(r -> r.byName().stream().filter(s -> s.name().equals(name)).forEach(s -> all.add(s.corrected())));
        return Latency.of(all);
    }
}
