package dev.headroom.experiments.cache;

import dev.headroom.experiments.Pause;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ShopNodes;
import dev.headroom.experiments.TimerTotals;
import dev.headroom.lab.cachesim.OptimalHitRatio;
import dev.headroom.lab.cachesim.PolicyReplay;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.cache.CacheMode;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * One cache configuration at the offered rate: Poisson arrivals, half to each node, a warm-up then the measured
 * part. Hit ratios, database statements and the shop's own serving times are counted over the measured part only
 * (the counters at the end of the warm-up subtracted); for l1 and lru each node's recorded trace is replayed through Belady's MIN (the
 * optimum) and through the L1's policy alone.
 */
final class ConfigurationRun {
    private ConfigurationRun() {
    }

    /** The nodes' counters at one moment. */
    private record Counts(ProductCounts products, TimerTotals server) {
        static Counts of(ShopNodes nodes) {
            return new Counts(ProductCounts.of(nodes), TimerTotals.of(nodes.list(), TimerTotals.HTTP_SERVER));
        }
    }

    static CacheLabResult.Configuration measure(Rig rig, CacheMode mode, double offered) throws Exception {
        CacheLabOptions o = rig.options();
        ProgressLog detail = rig.progress().indented();
        rig.flushRedis();
        try (ShopNodes cluster = rig.start(mode)) {
            if (mode.l2()) {
                cluster.first().warmCaches(detail::line);
            }
            List<TraceWorkload> workloads = IntStream.range(0, Rig.NODES).mapToObj(i -> rig.workload(i, cluster)).toList();
            double perNode = offered / Rig.NODES;
            Stages stages = Stages.constant(perNode, o.duration().toNanos() / 1e9).withWarmup(o.warmup().toNanos() / 1e9);
            long runStart = System.nanoTime();
            long measureFrom = runStart + o.warmup().toNanos();
            CompletableFuture<Counts> atWarmupEnd = LabTimers.start(() -> {
                Pause.until(measureFrom);
                return Counts.of(cluster);
            });
            List<RunResult> runs = cluster.runOnEach((i, node) ->
                    LoadRun.open(URI.create(node.url()), Schedules.poisson(stages, o.seed() + i), workloads.get(i)).warmup(o.warmup()));
            Counts end = Counts.of(cluster);
            ProductCounts window = end.products().minus(atWarmupEnd.get().products());
            TimerTotals served = end.server().minus(atWarmupEnd.get().server());
            Latency latency = Latencies.of(runs);
            double measured = runs.getFirst().durationSeconds();
            long reads = window.reads();
            Double l1 = mode.l1() ? ratio(window.l1Hits(), reads) : null;
            Double l2 = mode.l2() ? ratio(window.l2Hits(), window.l1Misses()) : null;
            double hit = mode == CacheMode.NONE ? 0 : ratio(window.l1Hits() + window.l2Hits(), reads);
            Double optimal = null;
            Double replay = null;
            if (mode == CacheMode.L1 || mode == CacheMode.LRU) {
                int entries = (int) o.l1Entries();
                List<NodeTrace> traces = NodeTrace.of(workloads, measureFrom);
                optimal = NodeTrace.hitRatio(traces, t -> OptimalHitRatio.of(t.events(), entries, t.measureFrom()));
                replay = NodeTrace.hitRatio(traces, mode == CacheMode.L1
                        ? t -> PolicyReplay.caffeine(t.events(), entries, t.measureFrom())
                        : t -> PolicyReplay.lru(t.events(), entries, t.measureFrom()));
            }
            long heap = heapAfterGc();
            long requests = runs.stream().mapToLong(RunResult::requests).sum();
            long errors = runs.stream().mapToLong(RunResult::errorCount).sum();
            List<String> invalid = runs.stream().flatMap(r -> r.invalidReasons().stream()).distinct().toList();
            CacheLabResult.Configuration c = new CacheLabResult.Configuration(mode.id(), l1, l2, hit, optimal, replay,
                    latency.p50(), latency.mean(), latency.p90(), latency.p99(), latency.p999(), latency.max(), served.percentileMs(50), served.meanMs(),
                    Latencies.of(runs, TraceWorkload.READ).p99(), Latencies.of(runs, TraceWorkload.WRITE).p99(),
                    runs.stream().mapToDouble(RunResult::achievedRate).sum(), requests, errors,
                    window.statements() / measured, ratio(window.statements(), served.count()),
                    window.leaseWaits(), window.l2Errors(), window.l1Flushes(), heap, invalid, List.of());
            detail.line(String.format("hit ratio %.3f%s, p50 %.2f ms (server-side %.3f), mean %.2f ms, p99 %.2f ms (reads %.2f, writes %.2f), "
                            + "%.0f db queries/s (%.3f per request), %d lease waits, %d L2 errors, %d L1 flushes, %.0f/s achieved%s%s",
                    hit, optimal == null ? "" : String.format(" (optimal %.3f, the policy alone %.3f)", optimal, replay), c.p50Ms(), c.serverP50Ms(),
                    c.meanMs(), c.p99Ms(), c.readP99Ms(), c.writeP99Ms(), c.dbQueriesPerS(), c.dbQueriesPerRequest(), c.leaseWaits(), c.l2Errors(), c.l1Flushes(),
                    c.achievedRate(), errors == 0 ? "" : ", " + errors + " errors", invalid.isEmpty() ? "" : " (INVALID: " + invalid + ")"));
            return c;
        }
    }

    /** Heap in use after a full GC: what both nodes and the generator keep live. */
    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }
}
