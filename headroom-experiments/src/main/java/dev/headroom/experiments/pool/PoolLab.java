package dev.headroom.experiments.pool;

import static dev.headroom.experiments.ProgressLog.seconds;

import dev.headroom.experiments.DatabaseHop;
import dev.headroom.experiments.Median;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.seed.SeedSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pool lab: one shop node (optimized, no cache, so that every request needs a connection) on PostgreSQL of its
 * own, one hop away ({@code --db-rtt}) or on loopback, restarted with each pool size in turn. At each size: a
 * closed-model run with more connections than any pool ({@code --concurrency}), which finds the throughput the pool
 * allows, and then, once the best throughput is known, an open-model run at one rate for all sizes (a share of that
 * best), which compares their p99 fairly. HikariCP's own figures (the wait for a connection, the time one is held,
 * the requests waiting) come from the node's registry, as {@code /metrics} publishes them.
 *
 * <p>Then the three answers to "how big a pool?" side by side: the measured optimum, the formula
 * {@code cores × 2 + spindles} ({@link ShopConfig#formulaPoolSize}) and Little's law (throughput × hold time).
 * Phases: the hop measured ({@link DatabaseHop#measure()}), data seeded, one unmeasured warm-up, the closed rounds,
 * the open runs ({@link Sweep}); then {@link PoolLabReport}.
 */
public final class PoolLab {
    /** Counted as one effective spindle, as the shop does: an SSD has no seek, but the formula wants a number. */
    static final int SPINDLES = 1;
    /**
     * The first node's unmeasured warm-up, at most: the JIT compiles the shop's and the generator's hot paths, once
     * per JVM; shortened to 2.5 × {@code --warmup} for short runs.
     */
    static final Duration FIRST_WARMUP = Duration.ofSeconds(5);

    private PoolLab() {
    }

    /**
     * Runs the lab, printing its progress and then the result's table to {@code out}, and writes the JSON and HTML
     * files the options name.
     */
    public static PoolLabResult run(PoolLabOptions options, PrintWriter out) throws Exception {
        PoolLabResult result = measure(options, ProgressLog.to(out));
        PoolLabReport.console(result, out);
        ReportFiles.write(result, options.json(), options.html(), file -> PoolLabReport.html(result, file), out);
        return result;
    }

    /**
     * The optimized shop without the cache (every request needs a connection) and without replicas (one database:
     * the pool under test is the only one).
     */
    static final Switches SWITCHES = new Switches(EnumSet.of(Switch.INDEXES, Switch.SINGLE_QUERY, Switch.POOL, Switch.HTTP), CacheMode.NONE);

    static PoolLabResult measure(PoolLabOptions o, ProgressLog progress) throws Exception {
        long started = System.nanoTime();
        try (ScratchInfra servers = ScratchInfra.start(false, progress);
             DatabaseHop database = DatabaseHop.to(servers.infra().topology().primary(), o.dbRtt().isZero() ? null : o.dbRtt())) {
            Double measuredRtt = database.measureAndSay(progress);
            PostgresNode pg = servers.infra().topology().primary();
            ShopConfig.Builder node = servers.shopConfig().database(database.jdbcUrl(), pg.user(), pg.password())
                    .switches(SWITCHES).shutdownGrace(Duration.ofSeconds(1));
            PoolLabResult.Formula formula = formula();
            ShopConfig first = node.poolSize(formula.poolSize()).build();
            progress.line(String.format("data: %,d products; every request GET /products/{id}, ids uniform; shop switches %s",
                    o.products(), first.switches().id()));
            Shop.prepare(first, new SeedSpec(1000, o.products(), 1000, o.seed()), progress.indented()::line);

            List<Integer> sizes = withFormula(o.sizes(), formula.poolSize(), o.concurrency());
            if (!sizes.equals(o.sizes())) {
                progress.line("sizes: " + sizes + " (the formula's " + formula.poolSize() + " added, so that it is measured too)");
            }
            Sweep sweep = new Sweep(node, o, progress);
            Duration shortened = o.warmup().multipliedBy(5).dividedBy(2);
            sweep.warm(formula.poolSize(), shortened.compareTo(FIRST_WARMUP) < 0 ? shortened : FIRST_WARMUP);
            List<List<Sweep.Closed>> closed = closedRounds(sweep, sizes, o, progress);
            double best = closed.stream().mapToDouble(PoolLab::medianThroughput).max().orElseThrow();
            double rate = o.loadShare() * best;
            progress.line(String.format("open model: every size offered %,.0f req/s (%.0f%% of the best median throughput, %,.0f/s), "
                    + "Poisson arrivals, %s warm-up + %s measured, latency from each request's intended send time",
                    rate, 100 * o.loadShare(), best, seconds(o.warmup()), seconds(o.duration())));
            List<PoolLabResult.Point> points = new ArrayList<>();
            for (int i = 0; i < sizes.size(); i++) {
                int size = sizes.get(i);
                double throughput = medianThroughput(closed.get(i));
                if (throughput < Sweep.CARRIES * rate) {
                    progress.line(String.format("pool %d, open model: not run, its closed-model throughput (%,.0f/s) is below %.0f%% of the rate",
                            size, throughput, 100 * Sweep.CARRIES));
                    points.add(point(size, closed.get(i), null));
                } else {
                    progress.line("pool " + size + ", open model:");
                    points.add(point(size, closed.get(i), sweep.open(size, rate)));
                }
            }
            PoolLabResult.Settings settings = new PoolLabResult.Settings(sizes, o.concurrency(), o.dbRtt().toNanos() / 1e6, measuredRtt,
                    o.rounds(), o.warmup().toMillis() / 1000.0, o.duration().toMillis() / 1000.0, o.loadShare(), rate, o.sloP99Ms(),
                    o.products(), o.seed(), first.switches().id(), ReportFiles.machine());
            return new PoolLabResult(settings, List.copyOf(points), optimum(points, o), formula.measured(points), littlesLaw(points),
                    (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * Every size once per round, ascending in odd rounds and descending in even ones, so that the machine's drift
     * falls on small and large pools alike; returned by size (ascending), each size's rounds in the order they ran.
     */
    private static List<List<Sweep.Closed>> closedRounds(Sweep sweep, List<Integer> sizes, PoolLabOptions o, ProgressLog progress)
            throws Exception {
        List<List<Sweep.Closed>> bySize = new ArrayList<>();
        sizes.forEach(s -> bySize.add(new ArrayList<>()));
        progress.line(String.format("closed model: %d connections, each with one request in flight; %s warm-up + %s measured per size "
                + "and round, a fresh node each time", o.concurrency(), seconds(o.warmup()), seconds(o.duration())));
        for (int round = 1; round <= o.rounds(); round++) {
            for (int k = 0; k < sizes.size(); k++) {
                int i = round % 2 == 1 ? k : sizes.size() - 1 - k;
                progress.line("pool " + sizes.get(i) + ", closed model" + (o.rounds() > 1 ? " (round " + round + " of " + o.rounds() + ")" : "") + ":");
                bySize.get(i).add(sweep.closed(sizes.get(i)));
            }
        }
        return bySize;
    }

    /**
     * The sizes asked for, and the formula's among them (ascending) unless it is there already or not below the
     * closed model's connections (a pool that large would not be the bottleneck).
     */
    static List<Integer> withFormula(List<Integer> sizes, int formula, int concurrency) {
        if (sizes.contains(formula) || formula >= concurrency) {
            return sizes;
        }
        return java.util.stream.Stream.concat(sizes.stream(), java.util.stream.Stream.of(formula)).sorted().toList();
    }

    private static double medianThroughput(List<Sweep.Closed> rounds) {
        return Median.of(rounds.stream().map(Sweep.Closed::throughputRps).toList());
    }

    /** One size's figures: each closed-model figure the median of its rounds, then the open-model run's (null: not run). */
    static PoolLabResult.Point point(int size, List<Sweep.Closed> rounds, Sweep.Open open) {
        return new PoolLabResult.Point(size, medianThroughput(rounds), rounds.stream().map(Sweep.Closed::throughputRps).toList(),
                median(rounds, Sweep.Closed::p50Ms), median(rounds, Sweep.Closed::p90Ms), median(rounds, Sweep.Closed::p99Ms),
                median(rounds, Sweep.Closed::p999Ms), median(rounds, Sweep.Closed::maxMs), median(rounds, Sweep.Closed::poolWaitMeanMs),
                median(rounds, Sweep.Closed::poolWaitP99Ms), median(rounds, Sweep.Closed::pendingMax), median(rounds, Sweep.Closed::holdMeanMs),
                median(rounds, Sweep.Closed::busyConnections), open == null ? null : open.p50Ms(), open == null ? null : open.p99Ms(),
                open == null ? null : open.p999Ms(), open == null ? null : open.maxMs(), open == null ? null : open.achievedRps(),
                open == null ? null : open.poolWaitP99Ms(), open == null ? null : open.scheduleLagP99Ms(), rounds.stream().mapToLong(Sweep.Closed::errors).sum() + (open == null ? 0 : open.errors()));
    }

    private static double median(List<Sweep.Closed> rounds, java.util.function.ToDoubleFunction<Sweep.Closed> figure) {
        return Median.of(rounds.stream().map(figure::applyAsDouble).toList());
    }

    /**
     * The smallest pool whose median throughput is within {@link PoolLabOptions#NEAR_BEST} of the best and whose p99 at
     * the common rate met the SLO; when none of those met it, the smallest of them. Not the one with the lowest p99:
     * when none meets the SLO at this rate, their p99s differ by the generator's lag and the machine's noise (60.2
     * and 61.2 ms for pools of 24 and 12 in one run), and the pick would be a coin's.
     */
    static PoolLabResult.Optimum optimum(List<PoolLabResult.Point> points, PoolLabOptions o) {
        PoolLabResult.Point best = points.stream().max(Comparator.comparingDouble(PoolLabResult.Point::throughputRps)).orElseThrow();
        List<PoolLabResult.Point> near = points.stream().filter(p -> p.throughputRps() >= PoolLabOptions.NEAR_BEST * best.throughputRps()).toList();
        PoolLabResult.Point chosen = near.stream().filter(p -> p.meets(o.sloP99Ms())).findFirst().orElse(near.getFirst());
        boolean met = chosen.meets(o.sloP99Ms());
        String rule = String.format("the smallest pool within %.0f%% of the best median throughput (%,.0f req/s at %d)%s: %d (%,.0f req/s, "
                        + "p99 %s ms at %,.0f req/s)", 100 * PoolLabOptions.NEAR_BEST, best.throughputRps(), best.poolSize(),
                met ? String.format(" whose p99 at %,.0f req/s met %.0f ms", o.loadShare() * best.throughputRps(), o.sloP99Ms())
                        : String.format(" (none of them met p99 <= %.0f ms at %,.0f req/s)", o.sloP99Ms(), o.loadShare() * best.throughputRps()),
                chosen.poolSize(), chosen.throughputRps(), chosen.openP99Ms() == null ? "-" : String.format("%.1f", chosen.openP99Ms()),
                o.loadShare() * best.throughputRps());
        return new PoolLabResult.Optimum(chosen.poolSize(), chosen.throughputRps(), chosen.openP99Ms(), best.throughputRps(), best.poolSize(),
                met, rule);
    }

    static PoolLabResult.Formula formula() {
        int cores = Runtime.getRuntime().availableProcessors();
        int size = ShopConfig.formulaPoolSize(cores, SPINDLES);
        return new PoolLabResult.Formula(cores, SPINDLES, size, String.format("%d cores x 2 + %d spindle = %d", cores, SPINDLES, size), null, null);
    }

    /**
     * Connections needed to carry the best throughput if each request held its connection as long as it did where the
     * pool was least contended (the smallest size measured): Little's law, L = λ × W, on the pool.
     */
    static PoolLabResult.LittlesLaw littlesLaw(List<PoolLabResult.Point> points) {
        double best = points.stream().mapToDouble(PoolLabResult.Point::throughputRps).max().orElseThrow();
        PoolLabResult.Point smallest = points.getFirst();
        double connections = best * smallest.holdMeanMs() / 1000;
        int size = Math.max(1, (int) Math.ceil(connections - 1e-9));
        PoolLabResult.Point at = points.stream().filter(p -> p.poolSize() == size).findFirst().orElse(null);
        return new PoolLabResult.LittlesLaw(best, smallest.holdMeanMs(), smallest.poolSize(), connections, size,
                String.format("%,.0f req/s x %.3f ms = %.2f connections -> %d", best, smallest.holdMeanMs(), connections, size),
                at == null ? null : at.throughputRps(), at == null ? null : at.throughputRps() / best);
    }
}
