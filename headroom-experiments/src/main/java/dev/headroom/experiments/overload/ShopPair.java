package dev.headroom.experiments.overload;

import dev.headroom.experiments.DatabaseHop;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.infra.JvmNodeSpec;
import dev.headroom.infra.Node;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.seed.SeedSpec;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;

/**
 * What the overload and bulkhead experiments measure: two shop nodes, each a JVM of its own on the servers' CPU
 * with PostgreSQL and Redis, on one database {@value #DB_RTT_MS} ms away (a {@link DatabaseHop}) with pools of
 * {@value #POOL} connections and no cache, so that a read costs a connection for a database round trip and a
 * rejection costs only the event loop's few µs. One node runs the optimized profile with the {@code admission}
 * switch ({@link #with}), the other the same without it ({@link #without}): both run all the time, and the
 * experiments load them in turn.
 */
final class ShopPair implements AutoCloseable {
    static final int POOL = 10;
    static final long DB_RTT_MS = 10;
    static final SeedSpec SEED = new SeedSpec(1_000, 10_000, 1_000, 42);
    /** The edge lab's shop node main (PORT JDBC_URL USER PASSWORD REDIS_URI SWITCHES POOL_SIZE); its class is not public. */
    private static final String NODE_MAIN = "dev.headroom.experiments.edge.FailoverNodes$Main";
    /** Small heaps and the serial collector: two nodes, PostgreSQL and the generator share two cores. */
    private static final List<String> JVM = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");

    private final ScratchInfra servers;
    private final DatabaseHop hop;
    private final List<Node> nodes;

    private ShopPair(ScratchInfra servers, DatabaseHop hop, List<Node> nodes) {
        this.servers = servers;
        this.hop = hop;
        this.nodes = nodes;
    }

    static ShopPair start(OverloadRig rig) throws Exception {
        ProgressLog progress = rig.progress();
        ScratchInfra servers = ScratchInfra.start(false, progress);
        DatabaseHop hop = null;
        try {
            PostgresNode pg = servers.infra().topology().primary();
            pinAll(rig, servers.infra().nodes());
            hop = DatabaseHop.to(pg, Duration.ofMillis(DB_RTT_MS));
            Switches without = new Switches(EnumSet.complementOf(EnumSet.of(Switch.ADMISSION)), CacheMode.NONE);
            ShopConfig config = servers.shopConfig().switches(without).build();
            Shop.prepare(config, SEED, progress.indented()::line);
            List<String> common = List.of("{port}", hop.jdbcUrl(), pg.user(), pg.password() == null ? "" : pg.password(),
                    servers.infra().topology().redis().uri());
            List<JvmNodeSpec> specs = new ArrayList<>();
            for (Switches s : List.of(without.with(Switch.ADMISSION), without)) {
                List<String> args = new ArrayList<>(common);
                args.add(s.id());
                args.add(Integer.toString(POOL));
                specs.add(JvmNodeSpec.builder(s.has(Switch.ADMISSION) ? "with" : "without", NODE_MAIN)
                        .jvmOptions(JVM).args(args).build());
            }
            List<Node> nodes = servers.infra().startNodes(specs);
            pinAll(rig, nodes);
            progress.line(String.format("database %d ms away (SELECT 1: %.2f ms through the hop), pools of %d, no cache;"
                    + " node 'with' has the admission switch, 'without' not", DB_RTT_MS, hop.measure().proxiedMs(), POOL));
            return new ShopPair(servers, hop, nodes);
        } catch (Exception e) {
            if (hop != null) {
                hop.close();
            }
            servers.close();
            throw e;
        }
    }

    private static void pinAll(OverloadRig rig, List<Node> nodes) throws Exception {
        for (Node n : nodes) {
            if (n.pid().isPresent()) {
                rig.pin(n.pid().get());
            }
        }
    }

    /**
     * Searches and checkouts at a modest rate on both nodes, unmeasured: a fresh JVM compiles for its first seconds,
     * and that is not what a request costs.
     */
    void warm(boolean quick, long seed) throws InterruptedException {
        for (Node n : nodes) {
            try (OpenLoad load = new OpenLoad(url(n))) {
                load.run(List.of(new OpenLoad.Stream("search", 100, searches(seed)), new OpenLoad.Stream("checkout", 10, checkouts(seed))),
                        Duration.ZERO, Duration.ofMillis(quick ? 300 : 5000), seed);
            }
        }
    }

    Node with() {
        return nodes.get(0);
    }

    Node without() {
        return nodes.get(1);
    }

    static URI url(Node node) {
        return URI.create("http://" + node.address());
    }

    /** The node's CPU time so far, in seconds (0 when it cannot be read). */
    static double cpuSeconds(Node node) {
        return node.pid().flatMap(pid -> ProcessHandle.of(pid)).flatMap(p -> p.info().totalCpuDuration())
                .map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** A page of 20 products after a random id: one index range scan, one database round trip. */
    static LongFunction<OpenLoad.Request> searches(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return i -> OpenLoad.Request.get("/products?limit=20&after=" + Params.encodeCursor(random.nextLong(SEED.products() - 20)));
    }

    /** {@code POST /orders} of one product for a random user. */
    static LongFunction<OpenLoad.Request> checkouts(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        return i -> new OpenLoad.Request(HttpMethod.POST, "/orders", "{\"userId\": " + (1 + random.nextLong(SEED.users()))
                + ", \"items\": [{\"productId\": " + (1 + random.nextLong(SEED.products())) + ", \"quantity\": 1}]}");
    }

    @Override
    public void close() {
        servers.infra().stopNodes(nodes);
        hop.close();
        servers.close();
    }
}
