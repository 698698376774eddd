package dev.headroom.experiments.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.experiments.Pause;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.experiments.edge.CpuPinning;
import dev.headroom.experiments.edge.FailoverNodes;
import dev.headroom.infra.Node;
import dev.headroom.infra.NodeSupervisor;
import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.proxy.TcpProxy;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * What every fault runs against: an embedded PostgreSQL (durable: the lab claims that nothing acknowledged is lost)
 * and Redis of its own, shop nodes (JVMs of their own, {@link FailoverNodes}) that reach PostgreSQL through a
 * {@link TcpProxy} (the database link a fault can slow or cut; clean otherwise), the edge in front of them (in this
 * JVM, peak-EWMA, retries and active health checks), and a {@link NodeSupervisor} over PostgreSQL, Redis and the
 * nodes that restarts whichever dies, as {@code headroom up} does.
 *
 * <p>CPUs: with taskset and 2 CPUs, PostgreSQL, Redis and the shop nodes share the first CPU, and this JVM (the
 * load generator, the edge and the link's proxy) the second ({@link CpuPinning}); a server the supervisor restarts
 * is moved back to the servers' CPU.
 */
public final class FaultRig implements AutoCloseable {
    static final String CLUSTER = "shop";
    static final Duration SUPERVISOR_INTERVAL = Duration.ofMillis(100);
    /** How long the servers get, between two faults, to be all healthy again before the next steady phase. */
    static final Duration HEALTHY_WAIT = Duration.ofSeconds(30);

    private final FaultsLabOptions options;
    private final ProgressLog progress;
    private final Map<String, Integer> restarts = new ConcurrentHashMap<>();
    private CpuPinning pinning;
    private ScratchInfra servers;
    private TcpProxy link;
    private FailoverNodes nodes;
    private EdgeServer edge;
    private NodeSupervisor supervisor;
    private Logger resets;
    private Level resetsLevel;

    private FaultRig(FaultsLabOptions options, ProgressLog progress) {
        this.options = options;
        this.progress = progress;
    }

    static FaultRig start(FaultsLabOptions o, ProgressLog progress) throws Exception {
        FaultRig rig = new FaultRig(o, progress);
        try {
            rig.startAll();
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        // the faults reset connections on purpose: Vert.x's error line for each would bury the lab's own account of them
        resets = (Logger) LoggerFactory.getLogger("io.vertx.core.net.impl.ConnectionBase");
        resetsLevel = resets.getLevel();
        resets.setLevel(Level.OFF);
        pinning = CpuPinning.start();
        progress.line(pinning.describe());
        servers = ScratchInfra.start(true, progress);
        PostgresNode pg = servers.infra().topology().primary();
        ShopConfig config = servers.shopConfig().profile(Profile.OPTIMIZED).build();
        Shop.prepare(config, options.data(), progress.indented()::line);
        link = TcpProxy.builder().upstream(pg.host(), pg.port()).start();
        String viaLink = "jdbc:postgresql://127.0.0.1:" + link.port() + "/" + pg.database();
        nodes = FailoverNodes.start(servers.infra(), options.nodes(), viaLink, pg.user(), pg.password(), config.switches(), 0);
        for (Node n : supervised()) {
            pin(n);
            progress.line(n.announcement());
        }
        supervisor = NodeSupervisor.watch(supervised(), SUPERVISOR_INTERVAL, line -> progress.indented().line("supervisor: " + line), this::restarted);
        progress.line(String.format("%d shop node(s); PostgreSQL through the link at 127.0.0.1:%d; supervisor every %d ms", options.nodes(),
                link.port(), SUPERVISOR_INTERVAL.toMillis()));
    }

    private List<Node> supervised() {
        List<Node> all = new ArrayList<>(List.of(postgres(), redis()));
        all.addAll(nodes.list());
        return all;
    }

    private void restarted(Node node) {
        try {
            pin(node);
        } catch (IOException | InterruptedException | RuntimeException e) {
            progress.indented().line("could not pin " + node.name() + " again: " + e.getMessage());
        }
        synchronized (restarts) {
            restarts.merge(node.name(), 1, Integer::sum);
            restarts.notifyAll();
        }
    }

    private void pin(Node node) throws IOException, InterruptedException {
        if (node.pid().isPresent()) {
            pinning.pinServer(node.pid().get());
        }
    }

    FaultsLabOptions options() {
        return options;
    }

    /**
     * A fresh edge in front of the nodes, for one fault's run: each fault meets an edge without the last one's
     * ejections (whose times grow with each: 30 s, 60 s, ...). It stays the rig's {@link #edgeUrl()} until the next.
     */
    RunningEdge startEdge() {
        ClusterSpec cluster = ClusterSpec.of(CLUSTER, nodes.backends(options.nodes()), Algorithm.PEAK_EWMA, null);
        RepeatFolding log = new RepeatFolding(progress.indented()::line);
        EdgeServer started = EdgeServer.start(EdgeConfig.builder().port(0).adminPort(0).cluster(cluster).build(), line -> log.accept("edge: " + line));
        edge = started;
        return () -> {
            started.close();
            log.flush();
        };
    }

    /** The edge of one run: closing it stops it and says how often its last line was repeated. */
    interface RunningEdge extends AutoCloseable {
        @Override
        void close();
    }

    /** Where the load goes: the edge of the fault's run. */
    public String edgeUrl() {
        return edge.url();
    }

    public Node postgres() {
        return servers.infra().node("primary");
    }

    public PostgresNode database() {
        return servers.infra().topology().primary();
    }

    public Node redis() {
        return servers.infra().node("redis");
    }

    public List<Node> shopNodes() {
        return nodes.list();
    }

    /** The link between the shop nodes and PostgreSQL. */
    public TcpProxy databaseLink() {
        return link;
    }

    /** The prefix that starts a client process (an attacker) on the load generator's CPU; empty when not pinning. */
    public List<String> clientPrefix() {
        return pinning.generator();
    }

    public String pinningDescription() {
        return pinning.describe();
    }

    /** How often the supervisor has brought {@code node} back so far. */
    int restarts(Node node) {
        return restarts.getOrDefault(node.name(), 0);
    }

    /** Waits until the supervisor has restarted {@code node} more than {@code seen} times; when it did ({@link System#nanoTime()}), or -1 at {@code deadlineNanos}. */
    long awaitRestart(Node node, int seen, long deadlineNanos) throws InterruptedException {
        synchronized (restarts) {
            long wait;
            while (restarts(node) <= seen && (wait = deadlineNanos - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(restarts, wait);
            }
            return restarts(node) > seen ? System.nanoTime() : -1;
        }
    }

    /**
     * Waits until every server answers (a shop node its readiness, which needs the database), at most
     * {@link #HEALTHY_WAIT}: the next fault's steady phase must not start inside the last one's aftermath.
     */
    void awaitHealthy() {
        long deadline = System.nanoTime() + HEALTHY_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (supervised().stream().allMatch(n -> n.healthy(Duration.ofSeconds(1)))) {
                return;
            }
            Pause.until(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
        }
        progress.line("not all servers healthy after " + ProgressLog.seconds(HEALTHY_WAIT) + "; going on");
    }

    @Override
    public void close() throws Exception {
        if (supervisor != null) {
            supervisor.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        if (link != null) {
            link.close();
        }
        if (servers != null) {
            servers.close();
        }
        if (pinning != null) {
            pinning.close();
        }
        if (resets != null) {
            resets.setLevel(resetsLevel);
        }
    }
}
