package dev.headroom.experiments.edge;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.proxy.TcpProxy;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.lab.usl.UslFit;
import dev.headroom.lab.usl.UslFitter;
import dev.headroom.lab.usl.UslModel;
import dev.headroom.lab.usl.UslPoint;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switches;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.seed.SeedSpec;
import java.io.PrintWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * {@code lab edge}'s scale-out: capacity at the SLO with 1, 2, 3, 4 shop nodes behind the edge, and the Universal
 * Scalability Law fitted to it. The nodes are made I/O-bound as real ones are: PostgreSQL one network hop away (a
 * {@link TcpProxy} adding {@code dbRtt} to each round trip, as the cache lab's {@code --db-rtt}), a small pool per
 * node ({@code poolSize} connections), and no cache, so every {@code GET /products/{id}} reads the database. A node
 * then serves at most about {@code poolSize / (dbRtt + query time)} requests a second whatever its CPU, which is
 * what more nodes add; on a machine of 2 cores, where the nodes, PostgreSQL, the proxy, the edge and the load
 * generator all run, CPU binds sooner or later, and the fit shows where.
 *
 * <p>All the nodes start once, and are warmed together; each node count then gets an edge of its own over the first
 * N, with no slow start (nobody joins during a search). Each count's search starts at the previous count's capacity
 * ({@link ScaleOutSearch}).
 */
public final class ScaleOutExperiment {
    private ScaleOutExperiment() {
    }

    /**
     * @param nodeCounts   the node counts to measure, ascending, each 1 to 8
     * @param dbRtt        what the hop to PostgreSQL adds to each round trip
     * @param poolSize     each node's connections to PostgreSQL
     * @param probeWarmup  each probe's unmeasured start
     * @param probe        each probe's measured part
     * @param warmup       the first run over all nodes, which only warms them
     * @param sloP99Ms     the p99 a probe must stay under, ms
     * @param maxErrorShare the share of failed requests a probe must stay under
     * @param startRate    where the first count's search starts, requests/s
     * @param bisections   probes between the last rate that met the SLO and the first that missed
     * @param algorithm    the edge's balancing
     * @param products     products seeded; reads pick among them uniformly
     * @param seed         seeds the data and the arrivals
     */
    public record Settings(List<Integer> nodeCounts, Duration dbRtt, int poolSize, Duration probeWarmup, Duration probe,
                           Duration warmup, double sloP99Ms, double maxErrorShare, double startRate, int bisections,
                           Algorithm algorithm, long products, long seed) {
        public Settings {
            nodeCounts = List.copyOf(nodeCounts);
            if (nodeCounts.isEmpty() || nodeCounts.stream().anyMatch(n -> n < 1 || n > 8)
                    || !nodeCounts.equals(nodeCounts.stream().sorted().distinct().toList())) {
                throw new IllegalArgumentException("nodeCounts must be distinct counts from 1 to 8 in ascending order, was " + nodeCounts);
            }
            if (dbRtt == null || dbRtt.isNegative()) {
                throw new IllegalArgumentException("dbRtt must be zero or more, was " + dbRtt);
            }
            if (poolSize < 1 || poolSize > 64) {
                throw new IllegalArgumentException("poolSize must be between 1 and 64, was " + poolSize);
            }
            if (probeWarmup == null || probeWarmup.isNegative() || probe == null || probe.toMillis() < 500 || warmup == null || warmup.isNegative()) {
                throw new IllegalArgumentException("probe must be at least 500 ms, probeWarmup and warmup zero or more; were "
                        + probe + ", " + probeWarmup + ", " + warmup);
            }
            if (!(sloP99Ms > 0) || !(maxErrorShare > 0 && maxErrorShare < 1) || !(startRate > 0) || bisections < 0) {
                throw new IllegalArgumentException("sloP99Ms and startRate must be above 0, maxErrorShare between 0 and 1, bisections 0 or more; were "
                        + sloP99Ms + ", " + startRate + ", " + maxErrorShare + ", " + bisections);
            }
            Objects.requireNonNull(algorithm, "algorithm");
            if (products < 1) {
                throw new IllegalArgumentException("products must be at least 1, was " + products);
            }
        }

        /** 1 to 4 nodes, 1 ms to the database, pools of 4, probes of 1 s + 3 s, p99 under 50 ms with under 0.1 % errors. */
        public static Settings defaults() {
            return new Settings(List.of(1, 2, 3, 4), Duration.ofMillis(1), 4, Duration.ofSeconds(1), Duration.ofSeconds(3),
                    Duration.ofSeconds(5), 50, 0.001, 250, 3, Algorithm.PEAK_EWMA, 10_000, 42);
        }

        public Settings withNodeCounts(List<Integer> counts) {
            return new Settings(counts, dbRtt, poolSize, probeWarmup, probe, warmup, sloP99Ms, maxErrorShare, startRate, bisections,
                    algorithm, products, seed);
        }

        public Settings withProbes(Duration warm, Duration measured, Duration firstWarmup, int bisect) {
            return new Settings(nodeCounts, dbRtt, poolSize, warm, measured, firstWarmup, sloP99Ms, maxErrorShare, startRate, bisect,
                    algorithm, products, seed);
        }

        public Settings withDatabase(Duration rtt, int pool) {
            return new Settings(nodeCounts, rtt, pool, probeWarmup, probe, warmup, sloP99Ms, maxErrorShare, startRate, bisections,
                    algorithm, products, seed);
        }
    }

    /** @param fit null with fewer than 3 node counts, or when no count met the SLO */
    public record Result(List<EdgeLabResult.ScaleOutPoint> points, EdgeLabResult.ScaleFit fit) { }

    /** The whole scale-out on servers of its own, which are stopped and deleted after. */
    public static Result run(Settings s, ProgressLog progress) throws Exception {
        int most = s.nodeCounts().getLast();
        try (ScratchInfra servers = ScratchInfra.start(false, progress);
             TcpProxy hop = TcpProxy.builder().upstream(servers.infra().topology().primary().host(),
                     servers.infra().topology().primary().port()).latency(s.dbRtt(), Duration.ZERO).start()) {
            PostgresNode pg = servers.infra().topology().primary();
            String viaHop = "jdbc:postgresql://127.0.0.1:" + hop.port() + "/" + pg.database();
            ShopConfig config = servers.shopConfig().profile(Profile.OPTIMIZED).cache(CacheMode.NONE).build();
            Shop.prepare(config, new SeedSpec(1000, s.products(), 1000, s.seed()), progress.indented()::line);
            progress.line(String.format("database: one hop away, a TcpProxy set to add %.3f ms per round trip; SELECT 1 takes %.3f ms through it,"
                    + " %.3f ms direct (medians of 200); pools of %d per node, no cache", s.dbRtt().toNanos() / 1e6,
                    medianSelectMs(viaHop, pg), medianSelectMs(pg.jdbcUrl(), pg), s.poolSize()));
            Switches uncached = config.switches();
            try (FailoverNodes nodes = FailoverNodes.start(servers.infra(), most, viaHop, pg.user(), pg.password(), uncached, s.poolSize())) {
                Workload reads = reads(s);
                warm(nodes, most, reads, s, progress);
                List<EdgeLabResult.ScaleOutPoint> points = new ArrayList<>();
                double start = s.startRate();
                for (int n : s.nodeCounts()) {
                    progress.line(n + (n == 1 ? " node:" : " nodes:"));
                    try (EdgeServer edge = EdgeServer.start(edge(nodes, n, s), line -> progress.indented().line("edge: " + line))) {
                        ScaleOutSearch.Found found = new ScaleOutSearch(URI.create(edge.url()), reads, s, progress.indented()).capacity(start);
                        points.add(new EdgeLabResult.ScaleOutPoint(n, found.capacityRps(), found.p99Ms()));
                        progress.indented().line(String.format("capacity %.0f/s at p99 %.1f ms (%d probes); tries per node %s", found.capacityRps(),
                                found.p99Ms(), found.probes(), edge.requests(FailoverRun.CLUSTER)));
                        start = found.capacityRps() > 0 ? found.capacityRps() : s.startRate();
                    }
                }
                EdgeLabResult.ScaleFit fit = fit(points);
                if (fit != null) {
                    progress.line(String.format("usl: sigma %.4f, kappa %.5f, lambda %.0f/s, N* %s, bound by %s, R^2 %.3f", fit.sigma(), fit.kappa(),
                            fit.lambda(), fit.peakNodes() == null ? "none (kappa 0)" : String.format("%.1f", fit.peakNodes()), fit.bound(), fit.rSquared()));
                }
                return new Result(List.copyOf(points), fit);
            }
        }
    }

    /** The USL over (nodes, capacity); null when it cannot be fitted (fewer than 3 counts, or every capacity 0). */
    static EdgeLabResult.ScaleFit fit(List<EdgeLabResult.ScaleOutPoint> points) {
        if (points.size() < 3 || points.stream().allMatch(p -> p.capacityRps() == 0)) {
            return null;
        }
        UslFit fit = UslFitter.fit(points.stream().map(p -> new UslPoint(p.nodes(), p.capacityRps())).toList());
        UslModel m = fit.model();
        return new EdgeLabResult.ScaleFit(m.sigma(), m.kappa(), m.lambda(), m.kappa() == 0 ? null : m.peakConcurrency(), m.bound(),
                fit.rSquared());
    }

    private static EdgeConfig edge(FailoverNodes nodes, int count, Settings s) {
        ClusterSpec cluster = new ClusterSpec(FailoverRun.CLUSTER, nodes.backends(count), s.algorithm(), null, ClusterSpec.DEFAULT_CHECK_PATH,
                Duration.ZERO);
        return EdgeConfig.builder().port(0).adminPort(0).cluster(cluster).build();
    }

    /** {@code GET /products/{id}}, ids uniform over the seeded products: with no cache, each one reads PostgreSQL. */
    private static Workload reads(Settings s) {
        SplittableRandom random = new SplittableRandom(s.seed());
        return index -> new Workload.Fixed(new RequestSpec("GET /products/{id}", "GET", "/products/" + (1 + random.nextLong(s.products())),
                List.of(), null));
    }

    /** Every node's JIT and pool warmed together, at the start rate per node; nothing of it is measured. */
    private static void warm(FailoverNodes nodes, int count, Workload reads, Settings s, ProgressLog progress) throws Exception {
        if (s.warmup().isZero()) {
            return;
        }
        double rate = s.startRate() * count;
        try (EdgeServer edge = EdgeServer.start(edge(nodes, count, s), line -> { })) {
            LoadRun.open(URI.create(edge.url()), Schedules.uniform(Stages.constant(rate, s.warmup().toMillis() / 1000.0)), reads)
                    .connections(64).timeout(ScaleOutSearch.TIMEOUT).run();
        }
        progress.line(String.format("warm-up: %.0f/s over all %d nodes for %s, not measured", rate, count, ProgressLog.seconds(s.warmup())));
    }

    private static double medianSelectMs(String url, PostgresNode pg) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password() == null ? "" : pg.password());
             PreparedStatement select = c.prepareStatement("SELECT 1")) {
            long[] nanos = new long[200];
            for (int i = -50; i < nanos.length; i++) {
                long start = System.nanoTime();
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                }
                if (i >= 0) {
                    nanos[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            return nanos[nanos.length / 2] / 1e6;
        }
    }

    /** Runs it by hand: {@code ScaleOutExperiment [RTT_MS [POOL_SIZE]]}. */
    public static void main(String[] args) throws Exception {
        Settings s = Settings.defaults();
        if (args.length > 0) {
            s = s.withDatabase(Duration.ofNanos((long) (Double.parseDouble(args[0]) * 1e6)), args.length > 1 ? Integer.parseInt(args[1]) : s.poolSize());
        }
        Result r = run(s, ProgressLog.to(new PrintWriter(System.out, true)));
        System.out.println(r);
        System.exit(0);
    }
}
