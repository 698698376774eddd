package dev.headroom.experiments.overload;

import dev.headroom.edge.deadline.Deadline;
import dev.headroom.experiments.Median;
import dev.headroom.experiments.Pause;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.infra.Infra;
import dev.headroom.infra.JvmNodeSpec;
import dev.headroom.infra.Node;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.seed.SeedSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Experiment 6, deadlines: clients that give up at their deadline, and the database work the shop still does for them
 * after it, with the deadline propagated ({@value Deadline#HEADER}) and without.
 *
 * <p>The request is genuinely slow: a product search for a term no product has, in the shop without its search index
 * (the baseline's schema, with a connection pool), so PostgreSQL computes every product's text vector. Its time is
 * measured first; the clients' deadline is a fifth of it, so each search takes about five times the deadline.
 * Searches are sent at fixed intervals of twice the deadline ({@link #LOAD}): were each stopped at its deadline, the
 * database would be busy half the time; run to their end, 2.5 times over. The client gives up at the deadline (the
 * JDK client's request timeout); the same in both runs, only the header differs. The shop runs as a JVM of its own;
 * it and PostgreSQL are pinned to the servers' CPU.
 *
 * <p>The waste is read from PostgreSQL's side: {@code pg_stat_activity} sampled every {@value #SAMPLE_MS} ms, each
 * shop statement active for longer than the deadline counting the time to the next sample. A statement starts after
 * its request arrived, so this undercounts the waste a little, and alike in both runs; sampling sees every statement
 * that outlives the deadline, which is all this measure is about. Each run is sampled until the shop's last statement
 * ended, so the work left behind when the clients stop counts for the run that left it. Runs alternate (with,
 * without, ...) and the medians are reported.
 */
final class DeadlinesExperiment {
    /**
     * Requests arrive every deadline / LOAD: stopped at their deadlines they would keep the database busy this share of the
     * time; run to their end, {@value #SLOWNESS} times as much.
     */
    static final double LOAD = 0.5;
    /** The search takes about this many times the clients' deadline. */
    static final int SLOWNESS = 5;
    static final int SAMPLE_MS = 10;
    /** A term no product name or description has: the search reads every product and finds none. */
    static final String MISSING_TERM = "qzxjv";
    /** The shop node's JVM: the edge lab's, which serves the shop on a prepared database and nothing else. */
    private static final String SHOP_MAIN = "dev.headroom.experiments.edge.FailoverNodes$Main";
    private static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");
    /** Statements the cost comparison times per way, in blocks taken in turn. */
    private static final int COST_BLOCK = 100;

    private DeadlinesExperiment() {
    }

    static DeadlinesResult run(OverloadRig rig) throws Exception {
        ProgressLog progress = rig.progress();
        boolean quick = rig.quick();
        SeedSpec spec = quick ? new SeedSpec(100, 2_000, 100, rig.seed()) : new SeedSpec(1_000, 20_000, 1_000, rig.seed());
        Duration runLength = quick ? Duration.ofSeconds(1) : Duration.ofSeconds(8);
        int pairs = quick ? 1 : 3;
        progress.line("deadlines: a search " + SLOWNESS + "x slower than its clients' deadline, sent every " + String.format("%.0f", 1 / LOAD)
                + " deadlines, its client giving up at the deadline; with the deadline propagated and without");
        try (ScratchInfra scratch = ScratchInfra.start(false, progress.indented())) {
            Infra infra = scratch.infra();
            PostgresNode pg = infra.topology().primary();
            rig.pin(infra.node(pg.name()).pid().orElseThrow(() -> new IllegalStateException("the embedded PostgreSQL has no pid to pin")));
            Switches switches = Switches.NONE.with(Switch.POOL); // no search index: the baseline's slow search
            ShopConfig config = scratch.shopConfig().switches(switches).build();
            Shop.prepare(config, spec, progress.indented()::line);
            Node node = infra.startNodes(List.of(JvmNodeSpec.builder("deadlines-node", SHOP_MAIN).jvmOptions(JVM_OPTIONS)
                    .args(List.of("{port}", pg.jdbcUrl(), pg.user(), pg.password() == null ? "" : pg.password(),
                            infra.topology().redis().uri(), switches.id(), "0")).build())).getFirst();
            rig.pin(node.pid().orElseThrow(() -> new IllegalStateException("the shop node has no pid to pin")));
            URI search = URI.create("http://" + node.address() + "/products?q=" + MISSING_TERM);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            try (Connection db = connect(pg)) {
                double slowMs = slowSearchMs(http, search);
                long deadlineMs = Math.max(1, Math.round(slowMs / SLOWNESS));
                progress.indented().line(String.format("the search takes %.1f ms alone (median of 5): deadline %d ms", slowMs, deadlineMs));
                StatementCosts costs = StatementCosts.measure(db, quick ? 2 : 20);
                progress.indented().line(String.format("per statement: %.1f µs plain, %.1f µs with pgjdbc's query timeout,"
                        + " %.1f µs with a SET statement_timeout before it", costs.plainUs(), costs.queryTimeoutUs(), costs.setTimeoutUs()));
                List<Run> with = new ArrayList<>();
                List<Run> without = new ArrayList<>();
                for (int i = 0; i < pairs; i++) {
                    for (boolean propagate : new boolean[] {true, false}) {
                        Run r = Run.of(http, search, db, deadlineMs, propagate, runLength);
                        (propagate ? with : without).add(r);
                        progress.indented().line(String.format("%s: %d requests, %d given up, %d cut by the shop (504);"
                                        + " database %.0f ms busy, %.0f ms of it past the deadline", propagate ? "with   " : "without",
                                r.requests(), r.gaveUp(), r.cut(), r.busyMs(), r.wastedMs()));
                    }
                }
                DeadlinesResult result = DeadlinesResult.of(deadlineMs, slowMs, with, without, costs);
                progress.line(String.format("deadlines: %.0f ms of database work past the deadline with propagation, %.0f ms without"
                        + " (medians of %d): %.1f %% cut", result.wastedMsWith(), result.wastedMsWithout(), pairs, 100 * result.cutShare()));
                return result;
            }
        }
    }

    /** The median of 5 searches with no deadline, after 3 untimed (the shop's JIT, PostgreSQL's caches). */
    private static double slowSearchMs(HttpClient http, URI search) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = -3; i < 5; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(search).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the search answered " + r.statusCode() + ": " + r.body());
            }
            if (i >= 0) {
                ms.add((System.nanoTime() - start) / 1e6);
            }
        }
        return Median.of(ms);
    }

    private static Connection connect(PostgresNode pg) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password() == null ? "" : pg.password());
    }

    /** One run: requests for {@code length}, PostgreSQL sampled until the shop's last statement ended. */
    record Run(long requests, long gaveUp, long cut, double busyMs, double wastedMs) {
        static Run of(HttpClient http, URI search, Connection db, long deadlineMs, boolean propagate, Duration length) throws Exception {
            LongAdder gaveUp = new LongAdder();
            LongAdder cut = new LongAdder();
            List<CompletableFuture<?>> sent = new CopyOnWriteArrayList<>();
            long intervalNanos = Math.round(deadlineMs * 1e6 / LOAD);
            Thread client = Thread.ofVirtual().name("deadlines-client").start(() -> {
                long start = System.nanoTime();
                for (long at = start; at < start + length.toNanos(); at += intervalNanos) {
                    Pause.until(at);
                    HttpRequest.Builder b = HttpRequest.newBuilder(search).timeout(Duration.ofMillis(deadlineMs));
                    if (propagate) {
                        b.header(Deadline.HEADER, Long.toString(deadlineMs));
                    }
                    sent.add(http.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                        if (e != null && e.getCause() instanceof HttpTimeoutException) {
                            gaveUp.increment();
                        } else if (r != null && r.statusCode() == 504) {
                            cut.increment();
                        }
                    }));
                }
            });
            double[] sampled = Sampler.untilIdle(db, deadlineMs, () -> !client.isAlive() && sent.stream().allMatch(CompletableFuture::isDone));
            return new Run(sent.size(), gaveUp.sum(), cut.sum(), sampled[0], sampled[1]);
        }
    }

    /** {@code pg_stat_activity}, read every {@value #SAMPLE_MS} ms from a connection of its own. */
    static final class Sampler {
        /**
         * Per shop statement active now: its age, capped at the time since the last sample (ms), and its age past the
         * deadline, capped alike: a statement that outlived the deadline by 1 ms counts 1 ms, not a whole interval.
         */
        private static final String SAMPLE = "SELECT count(*), coalesce(sum(least(age, ?)), 0), coalesce(sum(least(greatest(age - ?, 0), ?)), 0)"
                + " FROM (SELECT extract(epoch FROM clock_timestamp() - query_start) * 1000 AS age FROM pg_stat_activity"
                + " WHERE application_name = 'headroom-shop' AND state = 'active') statements";
        /** Samples in a row with no shop statement that end a run's sampling, once its clients have stopped. */
        private static final int IDLE_SAMPLES = 3;

        private Sampler() {
        }

        /** [busy ms, past-deadline ms]: the time statements were active (and active past the deadline), summed over the samples. */
        static double[] untilIdle(Connection db, long deadlineMs, java.util.function.BooleanSupplier clientsDone) throws Exception {
            double busy = 0;
            double wasted = 0;
            int idle = 0;
            try (PreparedStatement ps = db.prepareStatement(SAMPLE)) {
                ps.setLong(2, deadlineMs);
                long last = System.nanoTime();
                while (idle < IDLE_SAMPLES || !clientsDone.getAsBoolean()) {
                    Thread.sleep(SAMPLE_MS);
                    long now = System.nanoTime();
                    double stepMs = (now - last) / 1e6;
                    last = now;
                    ps.setDouble(1, stepMs);
                    ps.setDouble(3, stepMs);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        long active = rs.getLong(1);
                        busy += rs.getDouble(2);
                        wasted += rs.getDouble(3);
                        idle = active == 0 && clientsDone.getAsBoolean() ? idle + 1 : 0;
                    }
                }
            }
            return new double[] {busy, wasted};
        }
    }
}
