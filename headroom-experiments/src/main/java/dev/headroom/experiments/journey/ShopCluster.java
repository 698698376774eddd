package dev.headroom.experiments.journey;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.Infra;
import dev.headroom.infra.Node;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.cache.CacheMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One step's shop nodes on the journey's servers: the schema brought to the step's switches (indexes built or
 * dropped) and Redis emptied first, so no step sees what the last one cached; then {@code count} nodes, each its own
 * JVM, which load every product into their caches first when the step has caches, and the edge in front of them when
 * the step has it. {@link #close()} stops them and frees their names for the next step.
 */
final class ShopCluster implements AutoCloseable {
    private final Infra infra;
    private final List<Node> nodes;
    private final Node edge;

    private ShopCluster(Infra infra, List<Node> nodes, Node edge) {
        this.infra = infra;
        this.nodes = nodes;
        this.edge = edge;
    }

    static ShopCluster start(Infra infra, NodeLauncher launcher, JourneyStep step, int count, List<String> jvmOptions,
                             ProgressLog progress) throws Exception {
        PostgresNode pg = infra.topology().primary();
        ShopConfig config = ShopConfig.builder().switches(step.switches())
                .database(pg.jdbcUrl(), pg.user(), pg.password()).redis(infra.topology().redis().uri()).build();
        Shop.prepare(config, null, progress::line);
        flushRedis(infra.topology().redis().uri());
        // A shop that has run for a while has its popular products cached: cache steps start warm, as up --warm does,
        // the shared L2 by one node, each node's own L1 by itself.
        CacheMode cache = step.switches().cache();
        int warm = cache == CacheMode.NONE ? 0 : cache.l2() ? 1 : count;
        List<Node> started = infra.startNodes(launcher.specs(infra.topology(), step.switches(), count, jvmOptions, warm).stream()
                .map(spec -> spec.withNiceness(Journey.SERVER_NICENESS)).toList());
        Node edge = null;
        if (step.edge()) {
            edge = infra.startNodes(List.of(launcher.edge(started.stream().map(Node::address).toList())
                    .withNiceness(Journey.SERVER_NICENESS))).getFirst();
        }
        return new ShopCluster(infra, started, edge);
    }

    /** What the last step cached would answer this step's first reads: every step starts cold. */
    private static void flushRedis(String uri) {
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushall();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    List<Node> nodes() {
        return nodes;
    }

    List<URI> urls() {
        List<URI> urls = new ArrayList<>();
        nodes.forEach(n -> urls.add(URI.create("http://" + n.address())));
        return urls;
    }

    /** Where the load goes: the edge when the step has one, else every node (the generator spreads the load). */
    List<URI> targets() {
        return edge == null ? urls() : List.of(URI.create("http://" + edge.address()));
    }

    @Override
    public void close() {
        List<Node> all = new ArrayList<>(nodes);
        if (edge != null) {
            all.addFirst(edge);
        }
        infra.stopNodes(all);
    }
}
