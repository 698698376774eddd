package dev.headroom.experiments.cache;

import dev.headroom.experiments.Pause;
import static dev.headroom.experiments.ProgressLog.seconds;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.headroom.experiments.ShopNodes;
import dev.headroom.infra.Infra;
import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.cache.CacheMode;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * {@code l1+l2} at the offered rate while Redis is killed (SIGKILL) {@link #killAt} into the run and started again
 * at {@link #restartAt}. Every request counts (no warm-up); an error is anything but a 2xx. Recovery shows as L2
 * hits after the restart.
 */
final class OutageExperiment {
    private OutageExperiment() {
    }

    /** A fifth into the outage run. */
    static Duration killAt(Duration outage) {
        return outage.dividedBy(5);
    }

    /** Three fifths into the outage run. */
    static Duration restartAt(Duration outage) {
        return outage.multipliedBy(3).dividedBy(5);
    }

    static CacheLabResult.Outage run(Rig rig, double offered) throws Exception {
        CacheLabOptions o = rig.options();
        Duration killAt = killAt(o.outage());
        Duration restartAt = restartAt(o.outage());
        rig.progress().line(String.format("outage: l1+l2 at %.0f/s for %s; Redis killed at %s, restarted at %s",
                offered, seconds(o.outage()), seconds(killAt), seconds(restartAt)));
        rig.flushRedis();
        try (ShopNodes cluster = rig.start(CacheMode.L1_L2)) {
            cluster.first().warmCaches(rig.progress().indented()::line);
            Stages stages = Stages.constant(offered / Rig.NODES, o.outage().toNanos() / 1e9);
            long start = System.nanoTime();
            CompletableFuture<Long> afterRestart = LabTimers.start(() -> {
                Pause.until(start + killAt.toNanos());
                long killed = killAndRestart(rig.servers().infra(), start + restartAt.toNanos());
                rig.progress().indented().line(String.format("redis: down for %.1f s, started again", (System.nanoTime() - killed) / 1e9));
                return ProductCounts.of(cluster).l2Hits();
            });
            List<RunResult> runs = cluster.runOnEach((i, node) -> LoadRun.open(URI.create(node.url()),
                    Schedules.poisson(stages, o.seed() + 7 + i), rig.workload(i, cluster)));
            long l2HitsAfter = ProductCounts.of(cluster).l2Hits() - afterRestart.get();
            Latency all = Latencies.of(runs);
            Histogram down = new Histogram(3);
            double from = killAt.toMillis() / 1000.0;
            double to = restartAt.toMillis() / 1000.0;
            for (RunResult r : runs) {
                for (Interval i : r.intervals()) {
                    if (i.startSeconds() >= from && i.startSeconds() < to) {
                        down.add(i.corrected());
                    }
                }
            }
            long requests = runs.stream().mapToLong(RunResult::requests).sum();
            long errors = runs.stream().mapToLong(RunResult::errorCount).sum();
            String breaker = cluster.first().caches().products().tiered().stats().l2Breaker().name();
            CacheLabResult.Outage outage = new CacheLabResult.Outage(requests, errors, all.p99(), Latency.of(down).p99(), all.max(),
                    restartAt.minus(killAt).toMillis() / 1000.0, l2HitsAfter, breaker);
            rig.progress().indented().line(String.format("%,d requests, %d errors, p99 %.2f ms (%.2f ms while Redis was down), %,d L2 hits after the restart, breaker %s",
                    requests, errors, outage.p99Ms(), outage.p99DuringOutageMs(), l2HitsAfter, breaker));
            return outage;
        }
    }

    /** Kills Redis now and starts it again at {@code restartAtNanos}; returns when it was killed ({@link System#nanoTime()}). */
    private static long killAndRestart(Infra infra, long restartAtNanos) {
        // The kill is the experiment: the client's warning for each of its connections on every
        // reconnect attempt would only bury the lab's own report of it.
        Logger client = (Logger) LoggerFactory.getLogger("io.lettuce.core");
        Level level = client.getLevel();
        client.setLevel(Level.ERROR);
        try {
            infra.node("redis").kill();
            long killed = System.nanoTime();
            Pause.until(restartAtNanos);
            infra.node("redis").restart();
            return killed;
        } finally {
            client.setLevel(level);
        }
    }
}
