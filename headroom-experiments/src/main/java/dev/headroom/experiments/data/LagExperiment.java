package dev.headroom.experiments.data;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.Replication;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.Shop;
import dev.headroom.shop.Switches;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Replication lag under write load: {@code POST /orders} at a fixed rate (open model) on one node, durable primary,
 * while a sampler reads, every {@value #SAMPLE_MILLIS} ms over connections it holds, the primary's
 * {@code pg_current_wal_lsn()} and then each replica's {@code pg_last_wal_replay_lsn()}.
 *
 * <p>Per sample and replica, <b>bytes</b> = the primary's position minus the replica's replay position (0 when the
 * replica is at or past it), and <b>time</b> = how long the WAL just past the replica's replay position has existed
 * on the primary: the sample's time minus when the primary's position passed the replay position, found among the
 * primary's samples and interpolated linearly between the two that bracket it (WAL grows about evenly between two
 * samples 5 ms apart under a steady rate); 0 when the replica has replayed all the primary had at the sample. This
 * is what a read on the replica misses, in time: the age of the oldest write it cannot see. PostgreSQL's own
 * {@code replay_lag} ({@code pg_stat_replication}, via {@link Replication#status}) is sampled every
 * {@value #PG_SAMPLE_MILLIS} ms beside it as a cross-check.
 */
final class LagExperiment {
    static final long SAMPLE_MILLIS = 5;
    static final long PG_SAMPLE_MILLIS = 100;

    private LagExperiment() {
    }

    static Map<String, DataLabResult.Lag> run(DataRig rig) throws Exception {
        DataLabOptions o = rig.options();
        ProgressLog progress = rig.progress();
        progress.line(String.format("lag: POST /orders at %.0f/s for %s on one node, durable primary; replay positions sampled every %d ms",
                o.writeRate(), ProgressLog.seconds(o.writes()), SAMPLE_MILLIS));
        ProgressLog detail = progress.indented();
        List<PostgresNode> replicas = rig.replicas();
        try (Shop node = Shop.serve(rig.config(Switches.ALL, replicas.stream().map(PostgresNode::jdbcUrl).toList()).build())) {
            Workload writes = orders(o);
            // a short unmeasured start: the node's connections open and its write path compiles
            LoadRun.open(URI.create(node.url()), Schedules.uniform(Stages.constant(o.writeRate(), 1)), writes).run();
            rig.awaitReplayed(java.time.Duration.ofSeconds(30));
            Sampler sampler = new Sampler(rig.primary(), replicas);
            CompletableFuture<Void> sampling = CompletableFuture.runAsync(sampler::loop, r -> Thread.ofPlatform().daemon().name("lag-sampler").start(r));
            RunResult run;
            try {
                run = LoadRun.open(URI.create(node.url()), Schedules.uniform(Stages.constant(o.writeRate(), o.writes().toMillis() / 1000.0)), writes)
                        .run();
            } finally {
                sampler.stop();
            }
            sampling.join();
            detail.line(String.format("writes: %,d sent, %,.0f/s achieved, %d errors, p99 %.1f ms", run.requests(), run.achievedRate(),
                    run.errorCount(), dev.headroom.lab.run.Latency.at(run.corrected(), 99)));
            Map<String, DataLabResult.Lag> lag = new LinkedHashMap<>();
            for (int i = 0; i < replicas.size(); i++) {
                DataLabResult.Lag l = sampler.lag(i);
                lag.put(replicas.get(i).name(), l);
                detail.line(String.format("%s: lag p50 %.2f ms / %,d bytes, p99 %.2f ms / %,d bytes, max %.2f ms / %,d bytes (%,d samples);"
                                + " PostgreSQL's replay_lag p50 %s ms, p99 %s ms", replicas.get(i).name(), l.p50Ms(), l.p50Bytes(), l.p99Ms(),
                        l.p99Bytes(), l.maxMs(), l.maxBytes(), l.samples(), l.pgReplayLagP50Ms(), l.pgReplayLagP99Ms()));
            }
            return lag;
        }
    }

    /** {@code POST /orders} of one item, users and products uniform over the seeded ones. */
    static Workload orders(DataLabOptions o) {
        SplittableRandom random = new SplittableRandom(o.seed() + 1);
        List<Map.Entry<String, String>> json = List.of(Map.entry("Content-Type", "application/json"));
        return index -> new Workload.Fixed(new RequestSpec("POST /orders", "POST", "/orders", json,
                String.format("{\"userId\": %d, \"items\": [{\"productId\": %d, \"quantity\": 1}]}", 1 + random.nextLong(o.data().users()),
                        1 + random.nextLong(o.data().products())).getBytes(StandardCharsets.UTF_8)));
    }

    /** The sampling thread's state: the primary's positions over time, and each replica's lag per sample. */
    private static final class Sampler {
        private final PostgresNode primary;
        private final List<PostgresNode> replicas;
        private final AtomicBoolean running = new AtomicBoolean(true);
        // the primary's samples: nanoTime and LSN, in order
        private long[] times = new long[1024];
        private long[] positions = new long[1024];
        private int count;
        private final List<List<Double>> lagMs = new ArrayList<>();
        private final List<List<Long>> lagBytes = new ArrayList<>();
        private final List<List<Double>> pgLagMs = new ArrayList<>();

        Sampler(PostgresNode primary, List<PostgresNode> replicas) {
            this.primary = primary;
            this.replicas = replicas;
            for (int i = 0; i < replicas.size(); i++) {
                lagMs.add(new ArrayList<>());
                lagBytes.add(new ArrayList<>());
                pgLagMs.add(new ArrayList<>());
            }
        }

        void stop() {
            running.set(false);
        }

        void loop() {
            List<Connection> connections = new ArrayList<>();
            try {
                connections.add(primary.connect());
                for (PostgresNode r : replicas) {
                    connections.add(r.connect());
                }
                List<PreparedStatement> queries = new ArrayList<>();
                queries.add(connections.getFirst().prepareStatement("SELECT pg_current_wal_lsn()::text"));
                for (int i = 1; i < connections.size(); i++) {
                    queries.add(connections.get(i).prepareStatement("SELECT pg_last_wal_replay_lsn()::text"));
                }
                long nextPg = System.nanoTime();
                while (running.get()) {
                    long started = System.nanoTime();
                    sample(queries);
                    if (started >= nextPg) {
                        samplePg();
                        nextPg = started + PG_SAMPLE_MILLIS * 1_000_000;
                    }
                    long sleep = SAMPLE_MILLIS * 1_000_000 - (System.nanoTime() - started);
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException("lag sampling failed: " + e.getMessage(), e);
            } finally {
                for (Connection c : connections) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // the sampler's own connection; the server stays up
                    }
                }
            }
        }

        private void sample(List<PreparedStatement> queries) throws SQLException {
            long primaryAt = System.nanoTime();
            long primaryLsn = lsn(queries.getFirst());
            append(primaryAt, primaryLsn);
            for (int i = 1; i < queries.size(); i++) {
                long replay = lsn(queries.get(i));
                long at = System.nanoTime();
                lagBytes.get(i - 1).add(Math.max(0, primaryLsn - replay));
                lagMs.get(i - 1).add(replay >= primaryLsn ? 0 : Math.max(0, (at - passedAt(replay)) / 1e6));
            }
        }

        private void samplePg() throws SQLException {
            for (var s : Replication.status(primary)) {
                int i = replicas.stream().map(PostgresNode::name).toList().indexOf(s.name());
                if (i >= 0 && s.replayLag() != null) {
                    pgLagMs.get(i).add(s.replayLag().toNanos() / 1e6);
                }
            }
        }

        private void append(long at, long lsn) {
            if (count == times.length) {
                times = Arrays.copyOf(times, count * 2);
                positions = Arrays.copyOf(positions, count * 2);
            }
            times[count] = at;
            positions[count] = lsn;
            count++;
        }

        /**
         * When the primary's position passed {@code replay} (the replica misses the WAL from there on): interpolated
         * between the last sample at or below it and the first above it; the first sample's time when none is below.
         */
        private long passedAt(long replay) {
            int lo = 0;
            int hi = count - 1;
            while (lo < hi) { // the first sample whose position is above replay
                int mid = (lo + hi) >>> 1;
                if (positions[mid] > replay) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            if (lo == 0) {
                return times[0];
            }
            double share = (double) (replay - positions[lo - 1]) / (positions[lo] - positions[lo - 1]);
            return times[lo - 1] + Math.round(share * (times[lo] - times[lo - 1]));
        }

        DataLabResult.Lag lag(int replica) {
            double[] ms = lagMs.get(replica).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            long[] bytes = lagBytes.get(replica).stream().mapToLong(Long::longValue).sorted().toArray();
            if (ms.length == 0) {
                return new DataLabResult.Lag(0, 0, 0, 0, 0, 0, 0, pgLag(replica, 50), pgLag(replica, 99));
            }
            return new DataLabResult.Lag(round(at(ms, 50)), round(at(ms, 99)), round(ms[ms.length - 1]), at(bytes, 50), at(bytes, 99),
                    bytes[bytes.length - 1], ms.length, pgLag(replica, 50), pgLag(replica, 99));
        }

        private Double pgLag(int replica, double percentile) {
            double[] ms = pgLagMs.get(replica).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return ms.length == 0 ? null : round(at(ms, percentile));
        }
    }

    private static long lsn(PreparedStatement query) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return Replication.lsn(rs.getString(1));
        }
    }

    /** The nearest-rank percentile of sorted values. */
    static double at(double[] sorted, double percentile) {
        return sorted[rank(sorted.length, percentile)];
    }

    static long at(long[] sorted, double percentile) {
        return sorted[rank(sorted.length, percentile)];
    }

    private static int rank(int n, double percentile) {
        return Math.max(0, Math.min(n - 1, (int) Math.ceil(percentile / 100 * n) - 1));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
