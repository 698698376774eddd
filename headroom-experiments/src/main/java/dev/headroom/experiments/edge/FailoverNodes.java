package dev.headroom.experiments.edge;

import dev.headroom.edge.proxy.Backend;
import dev.headroom.infra.Infra;
import dev.headroom.infra.JvmNodeSpec;
import dev.headroom.infra.Node;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switches;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Shop nodes for the edge lab, each a JVM of its own (so that one can be {@code kill -9}ed as a crash would, and
 * restarted), named {@code node-1..N}, all on one PostgreSQL and one Redis that the caller prepared (migrated,
 * seeded). The failover kills one of them; the scale-out puts 1 to 4 of them behind the edge. This module cannot
 * launch {@code headroom up} (the CLI depends on it, not the reverse), so the JVMs run {@link Main}, which serves
 * the shop and nothing else.
 *
 * <p>Each JVM gets a small heap and the serial collector: up to four nodes, PostgreSQL, the edge and the load
 * generator share two cores, and a parallel collector's threads per JVM would only fight over them. The nodes are
 * not niced (the journey's are): on a machine shared with other work, niced nodes lost the cores to it, and starting
 * three took 24 s. Unniced, three start in parallel in about 8 s here and a restart takes 4 to 8 s (load average 3 to
 * 7 from other work); a class-data archive per node ({@code -XX:+AutoCreateSharedArchive}, as {@code headroom up}
 * uses) was tried, but no archive was written on the nodes' SIGTERM exit, so it is left out until that is understood.
 */
public final class FailoverNodes implements AutoCloseable {
    static final List<String> JVM_OPTIONS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED");

    private final Infra infra;
    private final List<Node> nodes;

    private FailoverNodes(Infra infra, List<Node> nodes) {
        this.infra = infra;
        this.nodes = nodes;
    }

    /**
     * Starts {@code count} nodes in parallel and returns when each answers {@code GET /health/ready}.
     *
     * @param jdbcUrl  where the nodes reach PostgreSQL (straight, or through a hop)
     * @param poolSize each node's connection pool; 0 for the shop's formula
     */
    public static FailoverNodes start(Infra infra, int count, String jdbcUrl, String user, String password, Switches switches,
                               int poolSize) {
        List<String> args = new ArrayList<>(List.of("{port}", jdbcUrl, user, password == null ? "" : password,
                infra.topology().redis().uri(), switches.id(), Integer.toString(poolSize)));
        List<JvmNodeSpec> specs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            specs.add(JvmNodeSpec.builder("node-" + i, Main.class.getName()).jvmOptions(JVM_OPTIONS).args(args).build());
        }
        return new FailoverNodes(infra, infra.startNodes(specs));
    }

    public List<Node> list() {
        return nodes;
    }

    Node get(int index) {
        return nodes.get(index);
    }

    /** The edge's view of node {@code index}: its name as the id, so that health lines and states name it. */
    Backend backend(int index) {
        Node n = nodes.get(index);
        return new Backend(n.name(), URI.create("http://" + n.address()), 1);
    }

    public List<Backend> backends(int count) {
        List<Backend> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(backend(i));
        }
        return all;
    }

    @Override
    public void close() {
        infra.stopNodes(nodes);
    }

    /**
     * A shop node's JVM: {@code PORT JDBC_URL USER PASSWORD REDIS_URI SWITCHES POOL_SIZE}, on a database prepared
     * already. SIGTERM shuts it down gracefully (2 s grace); SIGKILL is the failover's crash.
     */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) throws Exception {
            if (args.length != 7) {
                throw new IllegalArgumentException("give PORT JDBC_URL USER PASSWORD REDIS_URI SWITCHES POOL_SIZE, got " + args.length + " arguments");
            }
            ShopConfig.Builder config = ShopConfig.builder().port(Integer.parseInt(args[0])).portFallback(false)
                    .database(args[1], args[2], args[3]).redis(args[4]).switches(Switches.parse(args[5]))
                    .shutdownGrace(Duration.ofSeconds(2));
            int pool = Integer.parseInt(args[6]);
            if (pool > 0) {
                config.poolSize(pool);
            }
            Shop shop = Shop.serve(config.build());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                shop.close();
                stopped.countDown();
            }, "shop-shutdown"));
            System.out.println("shop serving on port " + shop.port());
            stopped.await();
        }
    }
}
