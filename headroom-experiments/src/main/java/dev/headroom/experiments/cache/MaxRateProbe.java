package dev.headroom.experiments.cache;

import static dev.headroom.experiments.ProgressLog.seconds;

import dev.headroom.experiments.ShopNodes;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.shop.cache.CacheMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The lab's first phase: the uncached cluster's maximum rate, in the closed model with {@value #CONNECTIONS}
 * connections per node. Every configuration is then offered the same share of it.
 */
final class MaxRateProbe {
    /** Connections per node. */
    static final int CONNECTIONS = 32;
    static final Duration WARMUP = Duration.ofSeconds(3);
    static final Duration DURATION = Duration.ofSeconds(8);

    private MaxRateProbe() {
    }

    /** Requests/s achieved over both nodes. */
    static double measure(Rig rig) throws Exception {
        Duration warmup = shortest(rig.options().warmup(), WARMUP);
        Duration duration = shortest(rig.options().duration(), DURATION);
        rig.progress().line(String.format("probe: the uncached maximum rate (closed model, %d connections per node, %s)",
                CONNECTIONS, seconds(duration)));
        try (ShopNodes cluster = rig.start(CacheMode.NONE)) {
            List<RunResult> runs = cluster.runOnEach((i, node) -> LoadRun.closed(URI.create(node.url()), CONNECTIONS, duration,
                    rig.workload(i, cluster)).warmup(warmup));
            double rate = runs.stream().mapToDouble(RunResult::achievedRate).sum();
            rig.progress().indented().line(String.format("max %.0f/s (p99 %.1f ms at that load)", rate, Latencies.of(runs).p99()));
            return rate;
        }
    }

    /** The probe is shortened along with short runs (a quick look), never lengthened. */
    private static Duration shortest(Duration run, Duration probe) {
        return run.compareTo(probe) < 0 ? run : probe;
    }
}
