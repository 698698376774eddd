package dev.headroom.experiments.edge;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.seed.SeedSpec;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code lab edge}'s failover: {@value #NODES} shop nodes (JVMs of their own on one embedded PostgreSQL and Redis)
 * behind an in-process edge; an open-model mix of GETs and keyed POST /orders at a share of what the three sustain;
 * one node {@code kill -9}ed a third of the way in and restarted (see {@link FailoverRun}). Run twice: with the
 * edge's retries (3 attempts), active health checks and passive ejection, then without retries and active checks,
 * for contrast. After each run the ledger in PostgreSQL is checked against every acknowledged POST
 * ({@link FailoverLedger}).
 *
 * <p>PostgreSQL runs durable ({@code fsync} and {@code synchronous_commit} on): the run claims that nothing
 * acknowledged is lost, and with zonky's fast settings an acknowledged commit is not on disk. (Only a shop node is
 * killed here, never PostgreSQL; durable is still the honest setting for a claim about acknowledged writes.)
 *
 * <p>Errors are requests not answered with a 2xx, transport errors and the generator's timeouts included: the
 * workload only asks for things that exist ({@link FailoverWorkload}), so no 4xx is expected.
 */
public final class FailoverExperiment {
    public static final int NODES = 3;
    static final Duration PROBE_WARMUP = Duration.ofSeconds(5);
    static final Duration PROBE = Duration.ofSeconds(5);

    private FailoverExperiment() {
    }

    /**
     * @param duration  each run's length; the kill comes at a third of it
     * @param rate      the offered rate, requests/s; null to measure what the three nodes sustain and offer {@code loadShare} of it
     * @param loadShare the share of the measured maximum offered when {@code rate} is null, above 0 and at most 1
     * @param postShare the share of arrivals that are keyed POST /orders, 0 to 1
     * @param algorithm the edge's balancing
     * @param products  products seeded (GETs and orders pick among them)
     * @param users     users seeded (orders pick among them)
     * @param seed      seeds the data, the arrivals and the mix
     * @param warmup    with a given {@code rate}, an unmeasured run at it first (the rate probe warms the nodes otherwise):
     *                  without it the first run met freshly started JVMs, and its p99 was 1.27 s against the second's 11 ms
     */
    public record Settings(Duration duration, Double rate, double loadShare, double postShare, Algorithm algorithm, long products,
                           long users, long seed, Duration warmup) {
        public static final Duration DEFAULT_DURATION = Duration.ofSeconds(60);
        public static final double DEFAULT_LOAD_SHARE = 0.5;
        public static final double DEFAULT_POST_SHARE = 0.2;
        public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);

        public Settings {
            if (duration == null || duration.toMillis() < 3000) {
                throw new IllegalArgumentException("duration must be at least 3 s (a kill at a third, an ejection, a restart), was " + duration);
            }
            if (rate != null && !(rate > 0)) {
                throw new IllegalArgumentException("rate must be above 0 requests/s, was " + rate);
            }
            if (!(loadShare > 0 && loadShare <= 1)) {
                throw new IllegalArgumentException("loadShare must be above 0 and at most 1, was " + loadShare);
            }
            if (!(postShare >= 0 && postShare <= 1)) {
                throw new IllegalArgumentException("postShare must be between 0 and 1, was " + postShare);
            }
            Objects.requireNonNull(algorithm, "algorithm");
            if (warmup == null || warmup.isNegative()) {
                throw new IllegalArgumentException("warmup must be zero or more, was " + warmup);
            }
            if (products < 1 || users < 1) {
                throw new IllegalArgumentException("products and users must be at least 1, were " + products + " and " + users);
            }
        }

        /** 60 s runs at half the measured maximum, a fifth of arrivals POSTs, peak-EWMA, 2,000 products, 1,000 users. */
        public static Settings defaults() {
            return new Settings(DEFAULT_DURATION, null, DEFAULT_LOAD_SHARE, DEFAULT_POST_SHARE, Algorithm.PEAK_EWMA, 2000, 1000, 42, DEFAULT_WARMUP);
        }

        public Settings withDuration(Duration d) {
            return new Settings(d, rate, loadShare, postShare, algorithm, products, users, seed, warmup);
        }

        public Settings withRate(Double r) {
            return new Settings(duration, r, loadShare, postShare, algorithm, products, users, seed, warmup);
        }

        public Settings withWarmup(Duration w) {
            return new Settings(duration, rate, loadShare, postShare, algorithm, products, users, seed, w);
        }
    }

    /**
     * Both runs on servers of their own, which are stopped and deleted after. In the result, {@code requests},
     * {@code errors}, {@code ejectMs} and {@code rejoinMs} are the run with retries and ejection's (-1 for a time
     * that did not come within the run); {@code idempotentPosts} (acknowledged POSTs), {@code postsMissing} and
     * {@code postsDuplicated} add up both runs.
     */
    public static EdgeLabResult.Failover run(Settings s, ProgressLog progress) throws Exception {
        try (ScratchInfra servers = ScratchInfra.start(true, progress)) {
            PostgresNode pg = servers.infra().topology().primary();
            ShopConfig config = servers.shopConfig().profile(Profile.OPTIMIZED).build();
            Shop.prepare(config, new SeedSpec(s.users(), s.products(), 1000, s.seed()), progress.indented()::line);
            try (FailoverNodes nodes = FailoverNodes.start(servers.infra(), NODES, pg.jdbcUrl(), pg.user(), pg.password(),
                    config.switches(), 0)) {
                double rate = s.rate() != null ? s.rate() : s.loadShare() * maxRate(nodes, s, progress);
                if (s.rate() != null && !s.warmup().isZero()) {
                    warm(nodes, s, rate, progress);
                }
                FailoverRun.Outcome with = FailoverRun.run(nodes, pg, s, rate, true, progress);
                FailoverRun.Outcome without = FailoverRun.run(nodes, pg, s, rate, false, progress);
                FailoverLedger a = with.ledger();
                FailoverLedger b = without.ledger();
                EdgeLabResult.Failover result = new EdgeLabResult.Failover(with.requests(), with.errors(), with.ejectMs(),
                        without.requests(), without.errors(), a.acknowledged() + b.acknowledged(), a.missing() + b.missing(),
                        a.duplicated() + b.duplicated(), with.rejoinMs());
                progress.line(String.format("failover: %,d requests, %,d errors with retries and ejection; %,d requests, %,d errors without;"
                                + " ejected after %d ms, healthy again after %d ms; %,d acknowledged POSTs, %d missing, %d duplicated",
                        result.requests(), result.errors(), result.requestsWithoutRetries(), result.errorsWithoutRetries(),
                        result.ejectMs(), result.rejoinMs(), result.idempotentPosts(), result.postsMissing(), result.postsDuplicated()));
                return result;
            }
        }
    }

    /**
     * What the three sustain through the edge: the closed model with 16 connections per node, {@link #PROBE_WARMUP}
     * warm-up and {@link #PROBE} measured. The warm-up is long because the nodes have just started: with 1 s of it
     * their cold JITs held the probe to 160/s on a busy machine.
     */
    private static double maxRate(FailoverNodes nodes, Settings s, ProgressLog progress) throws Exception {
        FailoverWorkload load = new FailoverWorkload("failover-probe", s.postShare(), s.products(), s.users(), s.seed());
        try (EdgeServer edge = EdgeServer.start(FailoverRun.edge(nodes, s.algorithm(), true), line -> { })) {
            RunResult r = LoadRun.closed(URI.create(edge.url()), 16 * NODES, PROBE, load).warmup(PROBE_WARMUP).run();
            progress.line(String.format("probe: %.0f/s through the edge in the closed model (%d connections), p99 %.1f ms, %d errors; offering %.0f %% of it",
                    r.achievedRate(), 16 * NODES, dev.headroom.lab.run.Latency.at(r.corrected(), 99), r.errorCount(), 100 * s.loadShare()));
            return r.achievedRate();
        }
    }

    /** The nodes' JITs warmed at the run's rate through a resilient edge; its keys are not checked. */
    private static void warm(FailoverNodes nodes, Settings s, double rate, ProgressLog progress) throws Exception {
        FailoverWorkload load = new FailoverWorkload("failover-warmup", s.postShare(), s.products(), s.users(), s.seed() + 3);
        try (EdgeServer edge = EdgeServer.start(FailoverRun.edge(nodes, s.algorithm(), true), line -> { })) {
            LoadRun.open(URI.create(edge.url()), Schedules.uniform(Stages.constant(rate, s.warmup().toMillis() / 1000.0)), load)
                    .connections(FailoverRun.CONNECTIONS).timeout(FailoverRun.TIMEOUT).run();
        }
        progress.line(String.format("warm-up: %.0f/s for %s, not measured", rate, ProgressLog.seconds(s.warmup())));
    }

    /** Runs it by hand: {@code FailoverExperiment [SECONDS [RATE]]}. */
    public static void main(String[] args) throws Exception {
        Settings s = Settings.defaults();
        if (args.length > 0) {
            s = s.withDuration(Duration.ofSeconds(Long.parseLong(args[0])));
        }
        if (args.length > 1) {
            s = s.withRate(Double.parseDouble(args[1]));
        }
        PrintWriter out = new PrintWriter(System.out, true);
        run(s, ProgressLog.to(out));
        System.exit(0);
    }
}
