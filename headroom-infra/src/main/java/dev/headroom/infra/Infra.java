package dev.headroom.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Starts and stops the servers Headroom runs on, as a topology of named {@link Node}s: one embedded PostgreSQL 17
 * primary (zonky) or several (shards), streaming replicas of the one primary ({@link InfraBuilder#replicas}), an
 * embedded Redis 7.0 (the binary from embedded-redis), external servers given by URL instead, and service nodes in
 * JVMs of their own ({@link #startNodes}).
 *
 * <pre>{@code
 * try (Infra infra = Infra.builder().dataDir(Path.of(".headroom")).start()) {
 *     PostgresNode pg = infra.topology().primary();   // jdbc:postgresql://127.0.0.1:15432/postgres, user postgres
 *     RedisNode redis = infra.topology().redis();      // redis://127.0.0.1:16379
 *     infra.node("redis").kill();                      // SIGKILL, as a crash would
 *     infra.node("redis").restart();                   // same port, same data
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> {@code <dataDir>/postgres} for the primary (or {@code <dataDir>/shard-N} per shard), reused
 * across starts; {@code <dataDir>/replica-N} per replica (a base backup of the primary with {@code standby.signal}
 * and {@code headroom-primary-id}, reused across starts); {@code <dataDir>/redis} (Redis {@code dir}: AOF, pid file,
 * config, lock); logs in {@code <dataDir>/logs}: {@code postgres.log}, {@code redis.log}, {@code shard-N.log},
 * {@code replica-N.log}, {@code <node>.log} (appended to, never truncated). Every server listens on 127.0.0.1 only.
 *
 * <p><b>Start.</b> For each embedded server: (1) fail if another live process owns the directory (it holds the
 * directory's file lock); (2) stop a server that an earlier run left behind (a killed JVM does not take its
 * servers with it), found through the pid file and checked by executable and working directory; (3) pick the
 * port (the requested one, else the next free one above it); (4) start and wait until the server answers. The servers
 * start in parallel; replicas start after the primary answers (see {@link InfraBuilder#replicas}), and the primary's
 * slots {@code headroom_replica_K} for K above the replica count are dropped first. On failure whatever was started is stopped again and an {@link InfraException} names the
 * server, the cause and the last lines of its log. {@link #close()} stops the nodes in the reverse order.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread; {@code close()} runs once, and concurrent
 * callers wait for it to finish (so a shutdown hook does not let the JVM exit halfway).
 */
public final class Infra implements AutoCloseable {

    /** Default data directory, relative to the working directory. */
    static final Path DEFAULT_DATA_DIR = Path.of(".headroom");
    static final int DEFAULT_POSTGRES_PORT = 15432;
    static final int DEFAULT_REDIS_PORT = 16379;
    /** More PostgreSQL servers than this on one machine is a typo, not a topology. */
    static final int MAX_PRIMARIES = 64;
    /** Streaming replicas of the one primary; each costs a server process and a WAL sender (PostgreSQL's default max_wal_senders is 10). */
    static final int MAX_REPLICAS = 8;
    /** A replica's requested port is postgresPort + this + N - 1, clear of the shards' consecutive ports in the usual layouts. */
    static final int REPLICA_PORT_OFFSET = 10;
    /** How often {@link #superviseServers()} looks at the servers. */
    static final java.time.Duration SUPERVISION = java.time.Duration.ofMillis(250);

    static final Logger LOG = LoggerFactory.getLogger(Infra.class);

    private final Consumer<String> log;
    /** Absolute data directory registered in this JVM, or null when every server is external. */
    private final Path claimedDir;
    /** Delete {@link #claimedDir} on close: it was made for this Infra alone. */
    private final boolean temporary;
    private final Object stateLock = new Object();
    private final Object closeLock = new Object();

    // guarded by stateLock
    private final List<Node> nodes = new ArrayList<>();
    private final Set<Integer> ports = new HashSet<>();
    private Thread shutdownHook;
    private boolean closed;
    private NodeSupervisor supervisor;

    private volatile Topology topology;

    Infra(Consumer<String> log, Path claimedDir, boolean temporary) {
        this.log = log;
        this.claimedDir = claimedDir;
        this.temporary = temporary;
    }

    public static InfraBuilder builder() {
        return new InfraBuilder();
    }

    /** What runs where. */
    public Topology topology() {
        return topology;
    }

    /** Every node, in start order. */
    public List<Node> nodes() {
        synchronized (stateLock) {
            return List.copyOf(nodes);
        }
    }

    /**
     * The node of that name: {@code primary}, {@code shard-N}, {@code replica-N}, {@code redis}, or a service node's name.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Node node(String name) {
        synchronized (stateLock) {
            for (Node node : nodes) {
                if (node.name().equals(name)) {
                    return node;
                }
            }
            throw new IllegalArgumentException("no node named \"" + name + "\"; this topology has "
                    + String.join(", ", nodes.stream().map(Node::name).toList()));
        }
    }

    /**
     * Starts service nodes, each in a JVM of its own, in parallel, and returns when all answer their health path.
     * They join the topology ({@link Topology#services()}) and are stopped first on {@link #close()}.
     *
     * @throws IllegalArgumentException if a name is taken
     * @throws InfraException           if one does not start; those of this call that did are stopped again
     */
    public List<Node> startNodes(List<JvmNodeSpec> specs) {
        List<JvmProcessNode> started = new ArrayList<>();
        synchronized (stateLock) {
            requireOpen();
            Set<String> names = new HashSet<>();
            nodes.forEach(node -> names.add(node.name()));
            Path logs = dataRoot().resolve("logs");
            for (JvmNodeSpec spec : specs) {
                if (!names.add(spec.name())) {
                    throw new IllegalArgumentException("node name " + spec.name() + " is taken; names must be unique in a topology");
                }
                int port = choosePort(spec.name(), "port", spec.port());
                started.add(new JvmProcessNode(spec, port, logs.resolve(spec.name() + ".log"), log));
            }
        }
        startAll(started);
        synchronized (stateLock) {
            Topology current = topology;
            for (JvmProcessNode node : started) {
                nodes.add(node);
                current = current.with(node.endpoint());
            }
            topology = current;
        }
        return List.copyOf(started);
    }

    /**
     * Restarts the embedded servers started so far (PostgreSQL primaries and replicas, Redis; not service nodes, nor
     * external servers) when one dies on its own, with {@link NodeSupervisor.Restarts#DEFAULT}'s back-off and budget,
     * looking every {@link #SUPERVISION}; its lines go to this Infra's log. Stopped by {@link #close()}, before the nodes.
     *
     * @throws IllegalStateException if this Infra already supervises its servers, or is closed
     */
    public NodeSupervisor superviseServers() {
        synchronized (stateLock) {
            requireOpen();
            if (supervisor != null) {
                throw new IllegalStateException("this Infra already supervises its servers");
            }
            List<Node> servers = nodes.stream().filter(n -> n instanceof ProcessNode && !(n instanceof JvmProcessNode)).toList();
            supervisor = NodeSupervisor.watch(servers, SUPERVISION, log, node -> { });
            return supervisor;
        }
    }

    /**
     * Stops service nodes that {@link #startNodes} started (gracefully, killed after 30 s) and takes them out of the
     * topology, so that their names and ports may be used again: the next experiment step's nodes.
     *
     * @throws IllegalArgumentException if one is not a service node of this Infra; nothing is stopped then
     */
    public void stopNodes(List<Node> services) {
        synchronized (stateLock) {
            for (Node node : services) {
                if (!(node instanceof JvmProcessNode) || !nodes.contains(node)) {
                    throw new IllegalArgumentException(node.name() + " is not a service node of this Infra");
                }
            }
        }
        services.forEach(Node::stop);
        synchronized (stateLock) {
            for (Node node : services) {
                nodes.remove(node);
                topology = topology.without(node.name());
            }
        }
    }

    /**
     * Stops every node this Infra started, in the reverse order of their start; waits up to 30 s for each, then
     * kills it. Deletes a {@link InfraBuilder#temporaryDataDir() temporary} data directory. Idempotent; never throws,
     * also not for a server that already died.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            List<Node> stopping;
            Thread hook;
            synchronized (stateLock) {
                if (closed) {
                    return;
                }
                closed = true;
                stopping = new ArrayList<>(nodes);
                hook = shutdownHook;
                if (supervisor != null) {
                    supervisor.close(); // nothing restarts what is being stopped
                }
            }
            for (int i = stopping.size() - 1; i >= 0; i--) {
                Node node = stopping.get(i);
                node.stop();
                if (node instanceof RedisProcessNode redis) {
                    redis.release();
                }
            }
            if (claimedDir != null) {
                DataDirs.releaseInJvm(claimedDir);
                if (temporary) {
                    deleteTree(claimedDir);
                }
            }
            if (hook != null && hook != Thread.currentThread()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is already shutting down
                }
            }
        }
    }

    void start(InfraBuilder config) {
        Path dir = config.dataDir();
        Path absolute = dataRoot();
        Path logs = absolute.resolve("logs");
        boolean durable = config.durableOrDefault();
        List<ProcessNode> embedded = new ArrayList<>();
        List<PostgresNode> primaries = new ArrayList<>();
        List<ReplicaProcessNode> replicas = new ArrayList<>();
        PostgresProcessNode primaryNode = null; // the one embedded primary, which replicas follow
        RedisNode redisNode = null;

        // 1. Claim the directories and ports: fail before starting anything if a live process owns a directory.
        synchronized (stateLock) {
            if (config.postgresTarget != null) {
                PostgresNode external = ExternalServers.reachPostgres(config.postgresTarget, log);
                nodes.add(ExternalNode.of(external));
                primaries.add(external);
            } else {
                int count = config.primariesOrDefault();
                for (int i = 1; i <= count; i++) {
                    // One primary keeps the names of the single-server layout; shards are named by number.
                    String name = count == 1 ? "primary" : "shard-" + i;
                    String label = count == 1 ? "postgres" : name;
                    String folder = count == 1 ? "postgres" : name;
                    Path pgDir = absolute.resolve(folder);
                    PostgresServer.claim(label, pgDir);
                    PostgresServer.stopLeftOver(label, pgDir, log); // this also frees its port
                    int requested = config.postgresPortOrDefault() == 0 ? 0 : config.postgresPortOrDefault() + i - 1;
                    int port = choosePort(label, "postgresPort", requested);
                    PostgresProcessNode node = new PostgresProcessNode(name, count == 1 ? NodeKind.PRIMARY : NodeKind.SHARD, label,
                            pgDir, dir.resolve(folder).toString(), logs.resolve(label + ".log"), port, durable, config.postgresSettings, log);
                    embedded.add(node);
                    primaries.add(node.endpoint());
                    primaryNode = count == 1 ? node : null;
                }
                for (int i = 1; i <= config.replicasOrDefault(); i++) {
                    String name = ReplicaProcessNode.name(i);
                    Path replicaDir = absolute.resolve(name);
                    PostgresServer.claim(name, replicaDir);
                    PostgresServer.stopLeftOver(name, replicaDir, log);
                    int base = config.postgresPortOrDefault();
                    int port = choosePort(name, "postgresPort", base == 0 ? 0 : base + REPLICA_PORT_OFFSET + i - 1);
                    replicas.add(new ReplicaProcessNode(i, replicaDir, dir.resolve(name).toString(), logs.resolve(name + ".log"), port,
                            durable, config.postgresSettings, primaryNode, log));
                }
            }
            if (config.redisTarget != null) {
                redisNode = ExternalServers.reachRedis(config.redisTarget, log);
            } else if (config.redisOrDefault()) {
                Path redisDir = absolute.resolve("redis");
                FileChannel lock = RedisProcess.claim(redisDir);
                int port;
                try {
                    RedisProcess.stopLeftOver(redisDir, log);
                    port = choosePort("redis", "redisPort", config.redisPortOrDefault());
                } catch (RuntimeException e) {
                    closeQuietly(lock);
                    throw e;
                }
                RedisProcessNode node = new RedisProcessNode("redis", "redis", redisDir, dir.resolve("redis").toString(),
                        logs.resolve("redis.log"), port, durable, lock, log);
                embedded.add(node);
                redisNode = node.endpoint();
            }
        }
        try {
            startAll(embedded);
        } finally {
            // Registered even when one failed: close() stops the ones that did start and releases the locks.
            synchronized (stateLock) {
                nodes.addAll(embedded);
            }
        }
        if (primaryNode != null) {
            // Before the replicas start: a slot no replica reads any more keeps WAL forever.
            ReplicaProcessNode.dropSlotsAbove(primaryNode.endpoint(), replicas.size(), log);
        }
        if (!replicas.isEmpty()) {
            // After the primary answers, since each one's first start copies it; in parallel with each other.
            try {
                startAll(replicas);
            } finally {
                synchronized (stateLock) {
                    nodes.addAll(replicas);
                }
            }
        }
        if (config.redisTarget != null) {
            synchronized (stateLock) {
                nodes.add(ExternalNode.of(redisNode));
            }
        }
        topology = new Topology(primaries, replicas.stream().map(PostgresProcessNode::endpoint).toList(), redisNode, List.of());
    }

    /** Starts the nodes in parallel; if any fails, stops the others and throws the first failure. */
    private void startAll(List<? extends ProcessNode> starting) {
        if (starting.size() == 1) {
            starting.get(0).start();
            return;
        }
        List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (ProcessNode node : starting) {
            threads.add(Thread.ofPlatform().name("headroom-start-" + node.name()).start(() -> {
                try {
                    node.start();
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the starts must finish either way, or their processes leak
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!failures.isEmpty()) {
            for (int i = starting.size() - 1; i >= 0; i--) {
                starting.get(i).stop();
            }
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    /** A port no other node of this Infra has, so that parallel starts cannot pick the same free one. */
    private int choosePort(String server, String setting, int requested) {
        int port = Ports.choose(server, setting, requested, log);
        while (ports.contains(port)) {
            port = Ports.choose(server, setting, requested == 0 ? 0 : port + 1, line -> { });
        }
        ports.add(port);
        return port;
    }

    private Path dataRoot() {
        return claimedDir != null ? claimedDir : DEFAULT_DATA_DIR.toAbsolutePath().normalize();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this Infra is closed");
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel either way
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is untidy, not wrong
        }
    }

    void addShutdownHook() {
        Thread hook = new Thread(this::close, "headroom-infra-shutdown");
        synchronized (stateLock) {
            shutdownHook = hook;
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
