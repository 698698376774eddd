package dev.headroom.cli.cachelab;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.headroom.infra.Infra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.lab.cachesim.OptimalHitRatio;
import dev.headroom.lab.cachesim.PolicyReplay;
import dev.headroom.lab.keys.KeyDistribution;
import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.cache.ShopCaches;
import dev.headroom.shop.seed.SeedSpec;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;

/**
 * The cache lab: its own PostgreSQL and Redis, two shop nodes, and every cache configuration driven at
 * the same offered rate (a share of the uncached maximum), then a stampede and a Redis outage. The
 * measuring is the load lab's: open-model runs, latency from each request's intended time.
 */
public final class CacheLab {
    /** Connections per node in the closed-model probe of the maximum rate. */
    static final int PROBE_CONNECTIONS = 32;
    static final Duration PROBE_WARMUP = Duration.ofSeconds(3);
    static final Duration PROBE_DURATION = Duration.ofSeconds(8);
    /** How long the stampede holds the database slow, so that every request arrives before the first load ends. */
    static final Duration SLOW_DATABASE = Duration.ofMillis(600);
    static final int STAMPEDE_REQUESTS = 1000;
    /**
     * Runs the lab's timers (the end of the warm-up, the Redis kill and restart), which sleep for seconds. Never
     * ForkJoinPool.commonPool: Caffeine runs each L1's upkeep there, and with 2 cores the pool has one thread; a
     * timer asleep on it cost the l1 configuration 0.02 of hit ratio (reads went unrecorded).
     */
    private static final Executor TIMERS = task -> Thread.ofPlatform().daemon().name("cache-lab-timer").start(task);

    /**
     * What to run. {@code loadShare} of the measured maximum is offered to every configuration. With more than
     * one round the configurations run in turn (A B C, A B C: the machine's drift falls on all of them alike).
     */
    public record Plan(long products, double zipfExponent, double writeShare, double l1Share, double loadShare,
                       Duration warmup, Duration duration, List<CacheMode> configurations, int rounds, Duration outage, long seed) {
        long l1Entries() {
            return Math.max(1, Math.round(products * l1Share));
        }

        /** Redis is killed a fifth into the outage run and started again three fifths in. */
        Duration killAt() {
            return outage.dividedBy(5);
        }

        Duration restartAt() {
            return outage.multipliedBy(3).dividedBy(5);
        }

        /** The probe is shortened along with short runs (a quick look), never lengthened. */
        Duration probeWarmup() {
            return warmup.compareTo(PROBE_WARMUP) < 0 ? warmup : PROBE_WARMUP;
        }

        Duration probeDuration() {
            return duration.compareTo(PROBE_DURATION) < 0 ? duration : PROBE_DURATION;
        }
    }

    private final Plan plan;
    private final Consumer<String> progress;

    public CacheLab(Plan plan, Consumer<String> progress) {
        this.plan = plan;
        this.progress = progress;
    }

    public CacheLabResult run() throws Exception {
        long started = System.nanoTime();
        keepHeapSizeAcrossFullGcs();
        Path dir = Files.createTempDirectory("headroom-lab-cache");
        RedisClient redis = null;
        try (Infra infra = Infra.builder().dataDir(dir).postgresPort(0).redisPort(0).durable(false)
                .stopOnShutdown(true).log(line -> progress.accept("  " + line)).start()) {
            redis = RedisClient.create(infra.topology().redis().uri());
            progress.accept(String.format("data: %,d products (Zipf %.2f over all of them, %.0f%% writes)",
                    plan.products(), plan.zipfExponent(), 100 * plan.writeShare()));
            Shop.prepare(config(infra, CacheMode.NONE), new SeedSpec(Math.max(1000, plan.products() / 10), plan.products(),
                    Math.max(1000, plan.products() / 10), plan.seed()), line -> progress.accept("  " + line));

            if (plan.warmup().plus(plan.duration()).compareTo(ShopCaches.L1_TTL) >= 0) {
                progress.accept(String.format("note: warm-up + duration reach the L1 TTL (%d s): the L1s expire entries, which "
                        + "'optimal' and 'policy' (replays of the trace without expiry) do not", ShopCaches.L1_TTL.toSeconds()));
            }
            double maxRate = probe(infra);
            double offered = plan.loadShare() * maxRate;
            progress.accept(String.format("offered rate for every configuration: %.0f/s (%.0f%% of %.0f/s), %s warm-up + %s measured each",
                    offered, 100 * plan.loadShare(), maxRate, seconds(plan.warmup()), seconds(plan.duration())));

            List<List<CacheLabResult.Configuration>> rounds = new ArrayList<>();
            plan.configurations().forEach(mode -> rounds.add(new ArrayList<>()));
            for (int round = 1; round <= plan.rounds(); round++) {
                for (int i = 0; i < plan.configurations().size(); i++) {
                    CacheMode mode = plan.configurations().get(i);
                    progress.accept("config " + mode.id() + (plan.rounds() > 1 ? " (round " + round + " of " + plan.rounds() + ")" : "") + ":");
                    rounds.get(i).add(measure(infra, redis, mode, offered));
                }
            }
            List<CacheLabResult.Configuration> configurations = rounds.stream().map(CacheLab::medianByP99).toList();
            CacheLabResult.Stampede stampede = stampede(infra, redis);
            CacheLabResult.Outage outage = outage(infra, redis, offered);
            CacheLabResult.Settings settings = new CacheLabResult.Settings(plan.products(), plan.zipfExponent(), plan.writeShare(),
                    plan.l1Entries(), plan.loadShare(), maxRate, offered, plan.warmup().toMillis() / 1000.0,
                    plan.duration().toMillis() / 1000.0, plan.rounds(), plan.seed(), 2, machine());
            return new CacheLabResult(settings, configurations, stampede, outage,
                    Checks.of(configurations, stampede, outage), (System.nanoTime() - started) / 1e9);
        } finally {
            if (redis != null) {
                redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            deleteRecursively(dir);
        }
    }

    private ShopConfig config(Infra infra, CacheMode mode) {
        PostgresNode pg = infra.topology().primary();
        return ShopConfig.builder().profile(Profile.OPTIMIZED).port(0).portFallback(true)
                .database(pg.jdbcUrl(), pg.user(), pg.password()).redis(infra.topology().redis().uri())
                .cache(mode).l1Entries(plan.l1Entries()).shutdownGrace(Duration.ofSeconds(2)).build();
    }

    /** Of one configuration's rounds, the one with the median p99 (the lower middle of an even count), its p99s attached. */
    static CacheLabResult.Configuration medianByP99(List<CacheLabResult.Configuration> rounds) {
        List<CacheLabResult.Configuration> sorted = rounds.stream().sorted(Comparator.comparingDouble(CacheLabResult.Configuration::p99Ms)).toList();
        return sorted.get((sorted.size() - 1) / 2).standingFor(rounds);
    }

    /** The uncached cluster's maximum: closed model, {@value #PROBE_CONNECTIONS} connections per node. */
    private double probe(Infra infra) throws Exception {
        progress.accept(String.format("probe: the uncached maximum rate (closed model, %d connections per node, %s)",
                PROBE_CONNECTIONS, seconds(plan.probeDuration())));
        try (Cluster cluster = Cluster.start(config(infra, CacheMode.NONE))) {
            List<RunResult> runs = parallel(cluster, node -> LoadRun.closed(URI.create(node.url()), PROBE_CONNECTIONS, plan.probeDuration(),
                    workload(cluster.nodes().indexOf(node))).warmup(plan.probeWarmup()));
            double rate = runs.stream().mapToDouble(RunResult::achievedRate).sum();
            progress.accept(String.format("  max %.0f/s (p99 %.1f ms at that load)", rate, latency(runs).p99()));
            return rate;
        }
    }

    private CacheLabResult.Configuration measure(Infra infra, RedisClient redis, CacheMode mode, double offered) throws Exception {
        flush(redis);
        try (Cluster cluster = Cluster.start(config(infra, mode))) {
            if (mode.l2()) {
                cluster.nodes().getFirst().warmCaches(line -> progress.accept("  " + line));
            }
            List<TraceWorkload> workloads = List.of(workload(0), workload(1));
            double perNode = offered / 2;
            Stages stages = Stages.constant(perNode, plan.duration().toNanos() / 1e9).withWarmup(plan.warmup().toNanos() / 1e9);
            long runStart = System.nanoTime();
            long measureFrom = runStart + plan.warmup().toNanos();
            CompletableFuture<Cluster.Counts> atWarmupEnd = CompletableFuture.supplyAsync(() -> {
                sleepUntil(measureFrom);
                return cluster.products();
            }, TIMERS);
            List<RunResult> runs = parallel(cluster, node -> {
                int i = cluster.nodes().indexOf(node);
                return LoadRun.open(URI.create(node.url()), Schedules.poisson(stages, plan.seed() + i), workloads.get(i))
                        .warmup(plan.warmup());
            });
            Cluster.Counts window = cluster.products().minus(atWarmupEnd.get());
            Latency latency = latency(runs);
            double measured = runs.getFirst().durationSeconds();
            long reads = window.reads();
            Double l1 = mode.l1() ? ratio(window.l1Hits(), reads) : null;
            Double l2 = mode.l2() ? ratio(window.l2Hits(), window.l1Misses()) : null;
            double hit = mode == CacheMode.NONE ? 0 : ratio(window.l1Hits() + window.l2Hits(), reads);
            Double optimal = null;
            Double replay = null;
            if (mode == CacheMode.L1 || mode == CacheMode.LRU) {
                List<NodeTrace> traces = nodeTraces(workloads, measureFrom);
                optimal = hitRatio(traces, t -> OptimalHitRatio.of(t.events(), (int) plan.l1Entries(), t.measureFrom()));
                replay = hitRatio(traces, mode == CacheMode.L1
                        ? t -> PolicyReplay.caffeine(t.events(), (int) plan.l1Entries(), t.measureFrom())
                        : t -> PolicyReplay.lru(t.events(), (int) plan.l1Entries(), t.measureFrom()));
            }
            long heap = heapAfterGc();
            long requests = runs.stream().mapToLong(RunResult::requests).sum();
            long errors = runs.stream().mapToLong(RunResult::errorCount).sum();
            List<String> invalid = runs.stream().flatMap(r -> r.invalidReasons().stream()).distinct().toList();
            CacheLabResult.Configuration c = new CacheLabResult.Configuration(mode.id(), l1, l2, hit, optimal, replay,
                    latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max(),
                    latency(runs, TraceWorkload.READ).p99(), latency(runs, TraceWorkload.WRITE).p99(),
                    runs.stream().mapToDouble(RunResult::achievedRate).sum(), requests, errors,
                    window.statements() / measured, window.leaseWaits(), window.l2Errors(), window.l1Flushes(), heap, invalid, List.of());
            progress.accept(String.format("  hit ratio %.3f%s, p50 %.2f ms, p99 %.2f ms (reads %.2f, writes %.2f), %.0f db queries/s, %d lease waits, %d L2 errors, %d L1 flushes, %.0f/s achieved%s%s",
                    hit, optimal == null ? "" : String.format(" (optimal %.3f, the policy alone %.3f)", optimal, replay), c.p50Ms(), c.p99Ms(), c.readP99Ms(), c.writeP99Ms(), c.dbQueriesPerS(), c.leaseWaits(), c.l2Errors(), c.l1Flushes(),
                    c.achievedRate(), errors == 0 ? "" : ", " + errors + " errors", invalid.isEmpty() ? "" : " (INVALID: " + invalid + ")"));
            return c;
        }
    }

    /** One node's L1 trace ({@link OptimalHitRatio}'s format) and the index where the measured part starts. */
    private record NodeTrace(long[] events, int measureFrom) {
    }

    /**
     * Each node's L1 trace: its own reads and writes, and the other node's writes (which reach its L1 as
     * invalidations), ordered by time; measured from the end of the warm-up.
     */
    private static List<NodeTrace> nodeTraces(List<TraceWorkload> workloads, long measureFromNanos) {
        List<NodeTrace> traces = new ArrayList<>();
        for (int node = 0; node < workloads.size(); node++) {
            List<long[]> events = new ArrayList<>();
            for (int other = 0; other < workloads.size(); other++) {
                long[] e = workloads.get(other).events();
                long[] t = workloads.get(other).times();
                for (int i = 0; i < e.length; i++) {
                    if (other == node || e[i] < 0) {
                        events.add(new long[] {t[i], e[i]});
                    }
                }
            }
            events.sort(Comparator.comparingLong(a -> a[0]));
            long[] trace = new long[events.size()];
            int from = trace.length;
            for (int i = 0; i < trace.length; i++) {
                trace[i] = events.get(i)[1];
                if (from == trace.length && events.get(i)[0] >= measureFromNanos) {
                    from = i;
                }
            }
            traces.add(new NodeTrace(trace, from));
        }
        return traces;
    }

    /** The hit ratio over all nodes' measured reads of one replay of each node's trace. */
    private static double hitRatio(List<NodeTrace> traces, Function<NodeTrace, OptimalHitRatio.Result> replay) {
        long reads = 0;
        long hits = 0;
        for (NodeTrace t : traces) {
            OptimalHitRatio.Result r = replay.apply(t);
            reads += r.reads();
            hits += r.hits();
        }
        return ratio(hits, reads);
    }

    /**
     * 1,000 requests at once for one cold product, half to each node, while the database is held slow
     * (its products table locked) so that all of them miss before the first load can finish. Run with
     * coalescing (single flight and the Redis lease) and without.
     */
    private CacheLabResult.Stampede stampede(Infra infra, RedisClient redis) throws Exception {
        progress.accept(String.format("stampede: %,d requests at once for one cold key, the database held slow for %d ms",
                STAMPEDE_REQUESTS, SLOW_DATABASE.toMillis()));
        long[] with = burst(infra, redis, CacheMode.L1_L2);
        long[] without = burst(infra, redis, CacheMode.L1_L2_NO_COALESCING);
        progress.accept(String.format("  %d database loads with coalescing, %d without (%d of %d answered 200)",
                with[1], without[1], with[0], STAMPEDE_REQUESTS));
        return new CacheLabResult.Stampede(STAMPEDE_REQUESTS, (int) with[0], with[1], without[1], SLOW_DATABASE.toMillis());
    }

    /** {requests answered 200, loads} of one burst. */
    private long[] burst(Infra infra, RedisClient redis, CacheMode mode) throws Exception {
        flush(redis);
        long key = 1; // the hottest product, cold after the flush
        try (Cluster cluster = Cluster.start(config(infra, mode));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Cluster.Counts before = cluster.products();
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger ok = new AtomicInteger();
            List<Future<?>> sent = new ArrayList<>();
            PostgresNode pg = infra.topology().primary();
            try (Connection lock = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password() == null ? "" : pg.password());
                 Statement st = lock.createStatement()) {
                lock.setAutoCommit(false);
                st.execute("LOCK TABLE products IN ACCESS EXCLUSIVE MODE"); // reads of products wait: a slow database
                for (int i = 0; i < STAMPEDE_REQUESTS; i++) {
                    Shop node = cluster.nodes().get(i % 2);
                    HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/products/" + key))
                            .timeout(Duration.ofSeconds(30)).GET().build();
                    sent.add(threads.submit(() -> {
                        go.await();
                        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            ok.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                Thread.sleep(SLOW_DATABASE.toMillis());
                lock.commit();
            }
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
            return new long[] {ok.get(), cluster.products().minus(before).loads()};
        }
    }

    /**
     * l1+l2 at the offered rate; Redis is killed {@link Plan#killAt()} into the run and started again at
     * {@link Plan#restartAt()}. Every request counts (no warm-up), errors are anything but a 2xx.
     */
    private CacheLabResult.Outage outage(Infra infra, RedisClient redis, double offered) throws Exception {
        progress.accept(String.format("outage: l1+l2 at %.0f/s for %s; Redis killed at %s, restarted at %s",
                offered, seconds(plan.outage()), seconds(plan.killAt()), seconds(plan.restartAt())));
        flush(redis);
        try (Cluster cluster = Cluster.start(config(infra, CacheMode.L1_L2))) {
            cluster.nodes().getFirst().warmCaches(line -> progress.accept("  " + line));
            Stages stages = Stages.constant(offered / 2, plan.outage().toNanos() / 1e9);
            long start = System.nanoTime();
            CompletableFuture<Long> afterRestart = CompletableFuture.supplyAsync(() -> {
                sleepUntil(start + plan.killAt().toNanos());
                // The kill is the experiment: the client's warning for each of its connections on every
                // reconnect attempt would only bury the lab's own report of it.
                Logger client = (Logger) LoggerFactory.getLogger("io.lettuce.core");
                Level level = client.getLevel();
                client.setLevel(Level.ERROR);
                long killed;
                try {
                    infra.killRedis();
                    killed = System.nanoTime();
                    sleepUntil(start + plan.restartAt().toNanos());
                    infra.restartRedis();
                } finally {
                    client.setLevel(level);
                }
                progress.accept(String.format("  redis: down for %.1f s, started again", (System.nanoTime() - killed) / 1e9));
                return cluster.products().l2Hits();
            }, TIMERS);
            List<RunResult> runs = parallel(cluster, node -> LoadRun.open(URI.create(node.url()),
                    Schedules.poisson(stages, plan.seed() + 7 + cluster.nodes().indexOf(node)), workload(cluster.nodes().indexOf(node))));
            long l2HitsAfter = cluster.products().l2Hits() - afterRestart.get();
            Latency all = latency(runs);
            Histogram down = new Histogram(3);
            double from = plan.killAt().toMillis() / 1000.0;
            double to = plan.restartAt().toMillis() / 1000.0;
            for (RunResult r : runs) {
                for (Interval i : r.intervals()) {
                    if (i.startSeconds() >= from && i.startSeconds() < to) {
                        down.add(i.corrected());
                    }
                }
            }
            long requests = runs.stream().mapToLong(RunResult::requests).sum();
            long errors = runs.stream().mapToLong(RunResult::errorCount).sum();
            String breaker = cluster.nodes().getFirst().caches().products().tiered().stats().l2Breaker().name();
            CacheLabResult.Outage o = new CacheLabResult.Outage(requests, errors, all.p99(), Latency.of(down).p99(), all.max(),
                    plan.restartAt().minus(plan.killAt()).toMillis() / 1000.0, l2HitsAfter, breaker);
            progress.accept(String.format("  %,d requests, %d errors, p99 %.2f ms (%.2f ms while Redis was down), %,d L2 hits after the restart, breaker %s",
                    requests, errors, o.p99Ms(), o.p99DuringOutageMs(), l2HitsAfter, breaker));
            return o;
        }
    }

    private TraceWorkload workload(int node) {
        return new TraceWorkload(KeyDistribution.zipf(1, plan.products(), plan.zipfExponent()), plan.writeShare(), plan.seed() * 31 + node);
    }

    private interface RunFor {
        LoadRun.Builder on(Shop node) throws Exception;
    }

    /** One run per node, at the same time, each on its own thread (its own event loop). */
    private static List<RunResult> parallel(Cluster cluster, RunFor run) throws Exception {
        List<LoadRun.Builder> builders = new ArrayList<>();
        for (Shop node : cluster.nodes()) {
            builders.add(run.on(node));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(builders.size())) {
            List<Future<RunResult>> runs = new ArrayList<>();
            for (LoadRun.Builder b : builders) {
                runs.add(threads.submit(b::run));
            }
            List<RunResult> results = new ArrayList<>();
            for (Future<RunResult> r : runs) {
                results.add(r.get());
            }
            return results;
        }
    }

    private static Latency latency(List<RunResult> runs) {
        Histogram all = new Histogram(3);
        runs.forEach(r -> all.add(r.corrected()));
        return Latency.of(all);
    }

    /** The latency of one request name across the runs. */
    private static Latency latency(List<RunResult> runs, String name) {
        Histogram all = new Histogram(3);
        runs.forEach(r -> r.byName().stream().filter(s -> s.name().equals(name)).forEach(s -> all.add(s.corrected())));
        return Latency.of(all);
    }

    private static void flush(RedisClient redis) {
        try (StatefulRedisConnection<String, String> c = redis.connect()) {
            c.sync().flushall();
        }
    }

    /**
     * A full GC lets G1 shrink the heap to what is live plus {@code MaxHeapFreeRatio}; the next configuration
     * would then run on a small heap and pause for young collections several times a second, a cost of the
     * measuring, not of the cache. Keeping the heap's size (the flag is manageable at run time) avoids that.
     */
    private static void keepHeapSizeAcrossFullGcs() {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption("MaxHeapFreeRatio", "100");
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version().feature() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temp folder left behind is untidy, not wrong
        }
    }
}
