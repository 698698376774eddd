package dev.headroom.experiments.data;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.DatabaseHop;
import dev.headroom.experiments.edge.ScaleOutExperiment;
import dev.headroom.experiments.edge.ScaleOutSearch;
import dev.headroom.infra.PostgresNode;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import io.micrometer.core.instrument.FunctionCounter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Read scaling: one shop node's capacity at the SLO with 0, 1 and 2 replicas. The node is made I/O-bound as in
 * {@code lab edge}'s scale-out: every PostgreSQL server (the primary and each replica) one network hop away, a
 * {@link DatabaseHop} adding {@link DataLabOptions#DB_RTT} to each round trip, {@link DataLabOptions#SCALING_POOL}
 * connections per server, no cache, so every read ({@code GET /users/{id}} and {@code GET /users/{id}/orders},
 * ids uniform over the seeded users) is a query on some server. A server then answers at most about
 * {@code pool / (rtt + query)} reads a second whatever the CPU, and a replica adds one more such server. On a
 * 2-core machine the primary, the replicas, the node and the load generator share the same cores: replicas cannot
 * add CPU here, only connections a hop away, so the figures show what replicas add to an I/O-bound node while the
 * cores are not the limit, not what they would add on machines of their own.
 *
 * <p>The router sends reads to replicas only while one covers them (the primary takes a read that no replica
 * covers), so 1 replica moves the reads off the primary rather than adding to it: expect about 1x, then 2x; a little
 * under, as the router polls each replica (every 10 ms, one round trip) over that replica's own small pool.
 * Capacity is found by {@link ScaleOutSearch} (doubling, then bisecting, open-model probes at a constant rate).
 */
final class ReadScalingExperiment {
    static final List<Integer> COUNTS = List.of(0, 1, 2);
    static final double START_RATE = 200;
    static final double MAX_ERROR_SHARE = 0.001;

    private ReadScalingExperiment() {
    }

    static List<DataLabResult.ScalingPoint> run(DataRig rig) throws Exception {
        DataLabOptions o = rig.options();
        ProgressLog progress = rig.progress();
        progress.line(String.format("read scaling: one node, every server %d ms away (TcpProxy), %d connections per server, no cache;"
                + " capacity at p99 < %.0f ms with 0, 1, 2 replicas", DataLabOptions.DB_RTT.toMillis(), DataLabOptions.SCALING_POOL,
                DataLabOptions.SLO_P99_MS));
        ProgressLog detail = progress.indented();
        PostgresNode pg = rig.primary();
        List<DatabaseHop> hops = new ArrayList<>();
        try {
            hops.add(DatabaseHop.to(pg, DataLabOptions.DB_RTT));
            for (PostgresNode r : rig.replicas()) {
                hops.add(DatabaseHop.to(r, DataLabOptions.DB_RTT));
            }
            hops.getFirst().measureAndSay(detail);
            ScaleOutExperiment.Settings search = new ScaleOutExperiment.Settings(List.of(1), DataLabOptions.DB_RTT, DataLabOptions.SCALING_POOL,
                    o.probeWarmup(), o.probe(), Duration.ZERO, DataLabOptions.SLO_P99_MS, MAX_ERROR_SHARE, START_RATE, o.bisections(),
                    Algorithm.PEAK_EWMA, o.data().products(), o.seed());
            Workload reads = reads(o);
            List<DataLabResult.ScalingPoint> points = new ArrayList<>();
            double start = START_RATE;
            for (int n : COUNTS) {
                List<String> replicaUrls = hops.subList(1, 1 + n).stream().map(DatabaseHop::jdbcUrl).toList();
                ShopConfig config = rig.config(DataRig.uncached(n > 0), replicaUrls).database(hops.getFirst().jdbcUrl(), pg.user(), pg.password())
                        .poolSize(DataLabOptions.SCALING_POOL).build();
                detail.line(n + (n == 1 ? " replica:" : " replicas:"));
                ProgressLog step = detail.indented();
                try (Shop node = Shop.serve(config)) {
                    Duration warm = o.quick() ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
                    LoadRun.open(URI.create(node.url()), Schedules.uniform(Stages.constant(start, warm.toMillis() / 1000.0)), reads)
                            .connections(64).timeout(ScaleOutSearch.TIMEOUT).run();
                    step.line(String.format("warm-up: %.0f/s for %s, not measured", start, ProgressLog.seconds(warm)));
                    double replicaBefore = routed(node, "replica");
                    double primaryBefore = routed(node, "primary");
                    ScaleOutSearch.Found found = new ScaleOutSearch(URI.create(node.url()), reads, search, step).capacity(start);
                    double none = points.isEmpty() ? found.capacityRps() : points.getFirst().capacityRps();
                    points.add(new DataLabResult.ScalingPoint(n, found.capacityRps(), found.p99Ms(), none > 0 ? found.capacityRps() / none : 0));
                    step.line(String.format("capacity %.0f/s at p99 %.1f ms (%d probes); %s", found.capacityRps(), found.p99Ms(), found.probes(),
                            n == 0 ? "no router: every read on the primary" : String.format("the router sent %.0f reads to replicas, %.0f to the primary",
                                    routed(node, "replica") - replicaBefore, routed(node, "primary") - primaryBefore)));
                    start = found.capacityRps() > 0 ? found.capacityRps() : START_RATE;
                }
            }
            return List.copyOf(points);
        } finally {
            hops.forEach(DatabaseHop::close);
        }
    }

    /** {@code GET /users/{id}} and {@code GET /users/{id}/orders} in turn, ids uniform over the seeded users. */
    static Workload reads(DataLabOptions o) {
        SplittableRandom random = new SplittableRandom(o.seed());
        long users = o.data().users();
        return index -> {
            long id = 1 + random.nextLong(users);
            return index % 2 == 0 ? new Workload.Fixed(new RequestSpec("GET /users/{id}", "GET", "/users/" + id, List.of(), null))
                    : new Workload.Fixed(new RequestSpec("GET /users/{id}/orders", "GET", "/users/" + id + "/orders?limit=10", List.of(), null));
        };
    }

    /** The node's router counter {@code headroom.router.reads{target}}; 0 without the replicas switch. */
    static double routed(Shop node, String target) {
        FunctionCounter c = node.registry().find("headroom.router.reads").tag("target", target).functionCounter();
        return c == null ? 0 : c.count();
    }
}
