package dev.headroom.cli;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.Backend;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.infra.Node;
import dev.headroom.infra.NodeKind;
import dev.headroom.infra.NodeSupervisor;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code up --nodes N}'s front: the edge in this JVM on the shop's port, balancing over the node processes, and a
 * supervisor that restarts a node that dies and gives it back to the edge fresh, so it slow-starts in.
 */
final class ShopEdge implements AutoCloseable {
    static final String CLUSTER = "shop";
    private static final Duration SUPERVISION = Duration.ofSeconds(1);

    private final EdgeServer edge;
    private final NodeSupervisor supervisor;

    private ShopEdge(EdgeServer edge, NodeSupervisor supervisor) {
        this.edge = edge;
        this.supervisor = supervisor;
    }

    static ShopEdge start(List<Node> nodes, String host, int port, Algorithm algorithm, String adminToken, Consumer<String> log) {
        List<Backend> backends = nodes.stream().map(ShopEdge::backend).toList();
        EdgeServer edge = EdgeServer.start(EdgeConfig.builder().host(host).port(port).adminToken(adminToken)
                .cluster(ClusterSpec.of(CLUSTER, backends, algorithm, null)).build(), log);
        NodeSupervisor supervisor = NodeSupervisor.watch(nodes, SUPERVISION, log, node -> {
            // a fresh endpoint: no ejection left to serve, and a slow start
            edge.remove(CLUSTER, node.name());
            edge.add(CLUSTER, backend(node));
        });
        return new ShopEdge(edge, supervisor);
    }

    private static Backend backend(Node node) {
        return new Backend(node.name(), URI.create("http://" + node.address()), 1);
    }

    String url() {
        return edge.url();
    }

    /**
     * The edge's node line, as the node model prints each server ({@code edge NAME ADDRESS pid PID}), and where its admin API
     * is; its token is {@code up}'s one admin token, printed (when generated) by {@code up} itself.
     */
    void announce(PrintWriter out) {
        out.printf("%s edge %s pid %d%n", NodeKind.EDGE.label(), edge.url().replaceFirst("^http://", ""), ProcessHandle.current().pid());
        out.printf("admin %s%n", edge.adminUrl());
    }

    @Override
    public void close() {
        supervisor.close();
        edge.close();
    }
}
