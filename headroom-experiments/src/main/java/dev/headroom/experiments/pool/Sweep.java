package dev.headroom.experiments.pool;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ShopNodes;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import java.net.URI;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The lab's runs, each on a fresh node with the size's {@code --pool-size}: the node starts, gets {@code --warmup} of
 * the run's own load unmeasured, then the measured run, with the pool's timers read before and after it and its
 * pending gauge sampled during it. The generator rehearses once per model: its compiled code stays for later runs.
 */
final class Sweep {
    /**
     * The open-model run is skipped for a size whose closed-model throughput is below this share of the rate: it
     * cannot carry it, its queue would only grow, and its p99 measure nothing but the run's length.
     */
    static final double CARRIES = 0.9;
    /** A request not answered by then counts as failed: bounds how long an overloaded open run drains. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ShopConfig.Builder node;
    private final PoolLabOptions options;
    private final ProgressLog progress;
    private final SplittableRandom ids;
    private boolean closedRehearsed;
    private boolean openRehearsed;

    Sweep(ShopConfig.Builder node, PoolLabOptions options, ProgressLog progress) {
        this.node = node;
        this.options = options;
        this.progress = progress;
        this.ids = new SplittableRandom(options.seed());
    }

    /** A closed-model run's figures; latency from each request's send (in the closed model nothing waits to be sent). */
    record Closed(double throughputRps, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, double poolWaitMeanMs,
                  double poolWaitP99Ms, double pendingMax, double holdMeanMs, double busyConnections, long errors) { }

    /** An open-model run's figures; latency from each request's intended send time. */
    record Open(double achievedRps, double p50Ms, double p99Ms, double p999Ms, double maxMs, double poolWaitP99Ms, double scheduleLagP99Ms,
                long errors) { }

    /** {@code GET /products/{id}}, ids uniform over the seeded products: with no cache, each one reads PostgreSQL. */
    private Workload reads() {
        SplittableRandom random = ids.split();
        return index -> new Workload.Fixed(RequestSpec.get("/products/" + (1 + random.nextLong(options.products()))));
    }

    /** An unmeasured closed-model run on a node of {@code size}: the JIT's first work, before any size is measured. */
    void warm(int size, Duration duration) throws Exception {
        try (ShopNodes nodes = ShopNodes.start(node.poolSize(size).build(), 1)) {
            LoadRun.closed(URI.create(nodes.first().url()), options.concurrency(), duration, reads()).rehearse(true).run();
            closedRehearsed = true;
        }
        progress.line(String.format("warm-up: %s closed model on a pool of %d, not measured", ProgressLog.seconds(duration), size));
    }

    Closed closed(int size) throws Exception {
        try (ShopNodes nodes = ShopNodes.start(node.poolSize(size).build(), 1)) {
            Shop shop = nodes.first();
            URI url = URI.create(shop.url());
            LoadRun.closed(url, options.concurrency(), options.warmup(), reads()).rehearse(!closedRehearsed).run();
            closedRehearsed = true;
            PoolMeters.Totals before = PoolMeters.Totals.of(shop);
            RunResult r;
            double pendingMax;
            try (PoolMeters.PendingSampler pending = new PoolMeters.PendingSampler(shop)) {
                r = LoadRun.closed(url, options.concurrency(), options.duration(), reads()).rehearse(false).run();
                pendingMax = pending.max();
            }
            PoolMeters.Totals window = PoolMeters.Totals.of(shop).minus(before);
            Latency latency = Latency.of(r.corrected());
            double borrowsPerSecond = window.usage().count() / r.durationSeconds();
            Closed c = new Closed(r.achievedRate(), latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max(),
                    window.acquire().meanMs(), window.acquire().percentileMs(99), pendingMax, window.usage().meanMs(),
                    borrowsPerSecond * window.usage().meanMs() / 1000, r.errorCount());
            progress.indented().line(String.format("%,.0f req/s, p50 %.2f ms, p99 %.2f ms; pool wait mean %.3f ms, p99 %.3f ms; "
                            + "pending max %.0f; hold %.3f ms, %.1f connections busy%s", c.throughputRps(), c.p50Ms(), c.p99Ms(), c.poolWaitMeanMs(),
                    c.poolWaitP99Ms(), c.pendingMax(), c.holdMeanMs(), c.busyConnections(), errors(r)));
            return c;
        }
    }

    Open open(int size, double rate) throws Exception {
        try (ShopNodes nodes = ShopNodes.start(node.poolSize(size).build(), 1)) {
            Shop shop = nodes.first();
            URI url = URI.create(shop.url());
            long seed = options.seed() * 31 + size;
            LoadRun.open(url, Schedules.poisson(Stages.constant(rate, seconds(options.warmup())), seed), reads())
                    .connections(options.concurrency()).timeout(TIMEOUT).rehearse(!openRehearsed).run();
            openRehearsed = true;
            PoolMeters.Totals before = PoolMeters.Totals.of(shop);
            RunResult r = LoadRun.open(url, Schedules.poisson(Stages.constant(rate, seconds(options.duration())), seed + 1), reads())
                    .connections(options.concurrency()).timeout(TIMEOUT).rehearse(false).run();
            PoolMeters.Totals window = PoolMeters.Totals.of(shop).minus(before);
            Latency latency = Latency.of(r.corrected());
            Open o = new Open(r.achievedRate(), latency.p50(), latency.p99(), latency.p999(), latency.max(), window.acquire().percentileMs(99),
                    r.generator().scheduleLagP99Ms(), r.errorCount());
            progress.indented().line(String.format("%,.0f req/s offered, %,.0f achieved; p50 %.2f ms, p99 %.2f ms; pool wait p99 %.3f ms; "
                            + "the generator's schedule lag p99 %.1f ms%s%s", rate, o.achievedRps(), o.p50Ms(), o.p99Ms(), o.poolWaitP99Ms(),
                    o.scheduleLagP99Ms(), errors(r),
                    r.valid() ? "" : " (the generator says: " + String.join("; ", r.invalidReasons()) + ")"));
            return o;
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static String errors(RunResult r) {
        return r.errorCount() == 0 ? "" : String.format("; %,d errors %s", r.errorCount(), r.errors());
    }
}
