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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Starts and stops the servers Headroom runs on, as a topology of named {@link Node}s: one embedded PostgreSQL 17
 * primary (zonky) or several (shards), an embedded Redis 7.0 (the binary from embedded-redis), external servers
 * given by URL instead, and service nodes in JVMs of their own ({@link #startNodes}).
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
 * across starts; {@code <dataDir>/redis} (Redis {@code dir}: AOF, pid file, config, lock); logs in
 * {@code <dataDir>/logs}: {@code postgres.log}, {@code redis.log}, {@code shard-N.log}, {@code <node>.log} (appended
 * to, never truncated). Every server listens on 127.0.0.1 only.
 *
 * <p><b>Start.</b> For each embedded server: (1) fail if another live process owns the directory (it holds the
 * directory's file lock); (2) stop a server that an earlier run left behind (a killed JVM does not take its
 * servers with it), found through the pid file and checked by executable and working directory; (3) pick the
 * port (the requested one, else the next free one above it); (4) start and wait until the server answers. The servers
 * start in parallel. On failure whatever was started is stopped again and an {@link InfraException} names the
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

    private static final Logger LOG = LoggerFactory.getLogger(Infra.class);

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

    private volatile Topology topology;

    private Infra(Consumer<String> log, Path claimedDir, boolean temporary) {
        this.log = log;
        this.claimedDir = claimedDir;
        this.temporary = temporary;
    }

    public static Builder builder() {
        return new Builder();
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
     * The node of that name: {@code primary}, {@code shard-N}, {@code redis}, or a service node's name.
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
     * Stops every node this Infra started, in the reverse order of their start; waits up to 30 s for each, then
     * kills it. Deletes a {@link Builder#temporaryDataDir() temporary} data directory. Idempotent; never throws,
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

    private void start(Builder config) {
        Path dir = config.dataDir();
        Path absolute = dataRoot();
        Path logs = absolute.resolve("logs");
        boolean durable = config.durableOrDefault();
        List<ProcessNode> embedded = new ArrayList<>();
        List<PostgresNode> primaries = new ArrayList<>();
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
        if (config.redisTarget != null) {
            synchronized (stateLock) {
                nodes.add(ExternalNode.of(redisNode));
            }
        }
        topology = new Topology(primaries, List.of(), redisNode, List.of());
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

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is untidy, not wrong
        }
    }

    private void addShutdownHook() {
        Thread hook = new Thread(this::close, "headroom-infra-shutdown");
        synchronized (stateLock) {
            shutdownHook = hook;
        }
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Configures and starts an {@link Infra}. Each setter may be called once (postgresSetting once per key) and
     * checks its argument at once; rules that involve several settings are checked by {@link #start()}.
     * Not thread-safe.
     */
    public static final class Builder {

        private static final Pattern SETTING_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
        /** Settings Infra owns: the port, the loopback-only listener and the data directory layout. */
        private static final Map<String, String> MANAGED_SETTINGS = Map.of(
                "port", "use postgresPort",
                "listen_addresses", "Infra listens on 127.0.0.1 only",
                "data_directory", "use dataDir",
                "config_file", "use dataDir",
                "hba_file", "use dataDir",
                "ident_file", "use dataDir");

        private Path dataDir;
        private Integer postgresPort;
        private Integer redisPort;
        private String postgresUrl;
        private Urls.PostgresTarget postgresTarget;
        private String redisUrl;
        private Urls.RedisTarget redisTarget;
        private Boolean durable;
        private final Map<String, String> postgresSettings = new LinkedHashMap<>();
        private Boolean stopOnShutdown;
        private Consumer<String> log;
        private Integer primaries;
        private Boolean redis;
        private boolean temporary;

        private Builder() {
        }

        /**
         * Where the servers keep their data and logs: {@code <dir>/postgres}, {@code <dir>/redis},
         * {@code <dir>/logs}. Default: {@code .headroom}, relative to the working directory.
         */
        public Builder dataDir(Path dir) {
            Objects.requireNonNull(dir, "dataDir must not be null");
            requireUnset("dataDir", dataDir);
            dataDir = dir;
            return this;
        }

        /**
         * A data directory made for this Infra alone (under {@code java.io.tmpdir}) and deleted by {@link #close()}:
         * for tests and experiments. Instead of {@link #dataDir}.
         */
        public Builder temporaryDataDir() {
            requireUnset("dataDir", dataDir);
            try {
                dataDir = Files.createTempDirectory("headroom-");
            } catch (IOException e) {
                throw new InfraException("could not create a temporary data directory: " + e.getMessage(), e);
            }
            temporary = true;
            return this;
        }

        /**
         * How many embedded PostgreSQL primaries to start: 1 (named {@code primary}), several (shards named
         * {@code shard-1..n}, on consecutive ports from {@link #postgresPort}), or 0 for none. Default: 1.
         */
        public Builder postgresPrimaries(int count) {
            if (count < 0 || count > MAX_PRIMARIES) {
                throw new IllegalArgumentException("postgresPrimaries must be between 0 and " + MAX_PRIMARIES + ", was " + count);
            }
            requireUnset("postgresPrimaries", primaries);
            primaries = count;
            return this;
        }

        /** {@code false}: start no Redis (the topology has none). Default: true. */
        public Builder redis(boolean on) {
            requireUnset("redis", redis);
            redis = on;
            return this;
        }

        /**
         * Port of the embedded PostgreSQL on 127.0.0.1; if taken, the next free one of the 100 above it; 0 for any
         * free port. Default: 15432.
         */
        public Builder postgresPort(int port) {
            requirePort("postgresPort", port);
            requireUnset("postgresPort", postgresPort);
            postgresPort = port;
            return this;
        }

        /** Port of the embedded Redis on 127.0.0.1; same rules as {@link #postgresPort}. Default: 16379. */
        public Builder redisPort(int port) {
            requirePort("redisPort", port);
            requireUnset("redisPort", redisPort);
            redisPort = port;
            return this;
        }

        /**
         * Use this PostgreSQL server instead of the embedded one:
         * {@code jdbc:postgresql://host:port/database?user=..&password=..} (port defaults to 5432; user and
         * password are optional, no other parameters are accepted). Checked with {@code SELECT 1} at start.
         * Default: none (embedded).
         */
        public Builder postgresUrl(String jdbcUrl) {
            Urls.PostgresTarget target = Urls.parsePostgres(jdbcUrl);
            requireUnset("postgresUrl", postgresUrl == null ? null : Urls.mask(postgresUrl));
            postgresUrl = jdbcUrl;
            postgresTarget = target;
            return this;
        }

        /** Use this Redis server instead of the embedded one: {@code redis://host:port} (port defaults to 6379). Checked with PING at start. Default: none (embedded). */
        public Builder redisUrl(String uri) {
            Urls.RedisTarget target = Urls.parseRedis(uri);
            requireUnset("redisUrl", redisUrl);
            redisUrl = uri;
            redisTarget = target;
            return this;
        }

        /**
         * {@code true}: PostgreSQL with {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on
         * (zonky turns the first two off), Redis with {@code appendonly yes} and {@code appendfsync everysec}.
         * {@code false}: zonky's fast settings, and Redis without any persistence. Applies to embedded servers
         * only. Default: true.
         */
        public Builder durable(boolean on) {
            requireUnset("durable", durable);
            durable = on;
            return this;
        }

        /**
         * An extra postgresql.conf setting for the embedded server, passed as {@code -c key=value}, e.g.
         * {@code shared_buffers=256MB}. Wins over the {@link #durable} settings. {@code port},
         * {@code listen_addresses} and the file locations are managed by Infra and refused.
         */
        public Builder postgresSetting(String key, String value) {
            Objects.requireNonNull(key, "postgresSetting key must not be null");
            Objects.requireNonNull(value, "postgresSetting value must not be null");
            if (!SETTING_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("postgresSetting key must be a parameter name (letters, digits, _ and .), was \"" + key + "\"");
            }
            String managed = MANAGED_SETTINGS.get(key.toLowerCase(Locale.ROOT));
            if (managed != null) {
                throw new IllegalArgumentException("postgresSetting key must not be " + key + " (" + managed + ")");
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("postgresSetting " + key + " must not contain line breaks or NUL, was \""
                        + value.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0") + "\"");
            }
            String previous = postgresSettings.get(key);
            if (previous != null) {
                throw new IllegalStateException("postgresSetting " + key + " was already set to " + previous);
            }
            postgresSettings.put(key, value);
            return this;
        }

        /** {@code true}: a JVM shutdown hook (SIGTERM, Ctrl-C, normal exit) closes the Infra. Default: true. */
        public Builder stopOnShutdown(boolean on) {
            requireUnset("stopOnShutdown", stopOnShutdown);
            stopOnShutdown = on;
            return this;
        }

        /**
         * Receives one-line progress messages such as
         * {@code postgres: starting on 127.0.0.1:15432 (data .headroom/postgres)}. Called from the starting thread
         * and from whichever thread closes. Default: SLF4J at info level, logger {@code dev.headroom.infra.Infra}.
         */
        public Builder log(Consumer<String> progress) {
            Objects.requireNonNull(progress, "log must not be null");
            requireUnset("log", log);
            log = progress;
            return this;
        }

        /**
         * Starts PostgreSQL, then Redis (or checks the external ones), and returns when both answer.
         *
         * @throws IllegalStateException if settings contradict each other (e.g. postgresPort with postgresUrl)
         * @throws InfraException        if a server cannot be claimed, started or reached; what was started is
         *                               stopped again
         */
        public Infra start() {
            if (postgresTarget != null && postgresPort != null) {
                throw new IllegalStateException("postgresPort must not be set together with postgresUrl (the external server has its own port)");
            }
            if (postgresTarget != null && !postgresSettings.isEmpty()) {
                throw new IllegalStateException("postgresSetting must not be used with postgresUrl (settings apply to the embedded server only), was "
                        + postgresSettings.keySet());
            }
            if (postgresTarget != null && primaries != null && primaries != 1) {
                throw new IllegalStateException("postgresPrimaries must be 1 with postgresUrl (the external server is one primary), was " + primaries);
            }
            if (redisTarget != null && redis != null && !redis) {
                throw new IllegalStateException("redis(false) must not be set together with redisUrl");
            }
            if (redisTarget != null && redisPort != null) {
                throw new IllegalStateException("redisPort must not be set together with redisUrl (the external server has its own port)");
            }
            Consumer<String> progress = log != null ? log : LOG::info;
            boolean anyEmbedded = (postgresTarget == null && primariesOrDefault() > 0) || (redisTarget == null && redisOrDefault());
            Path claimed = anyEmbedded ? dataDir().toAbsolutePath().normalize() : null;
            if (claimed != null && !DataDirs.claimInJvm(claimed)) {
                throw new InfraException("data directory " + claimed + " is in use by another Infra in this JVM; close that one first or use another dataDir");
            }
            if (temporary && claimed == null) {
                deleteTree(dataDir); // every server is external: nothing will use it
            }
            Infra infra = new Infra(progress, claimed, temporary && claimed != null);
            if (stopOnShutdown == null || stopOnShutdown) {
                infra.addShutdownHook();
            }
            try {
                infra.start(this);
            } catch (RuntimeException | Error e) {
                infra.close();
                throw e;
            }
            return infra;
        }

        Path dataDir() {
            return dataDir != null ? dataDir : DEFAULT_DATA_DIR;
        }

        int postgresPortOrDefault() {
            return postgresPort != null ? postgresPort : DEFAULT_POSTGRES_PORT;
        }

        int redisPortOrDefault() {
            return redisPort != null ? redisPort : DEFAULT_REDIS_PORT;
        }

        int primariesOrDefault() {
            return primaries != null ? primaries : 1;
        }

        boolean redisOrDefault() {
            return redis == null || redis;
        }

        boolean durableOrDefault() {
            return durable == null || durable;
        }

        private static void requirePort(String setting, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(setting + " must be between 0 and 65535, was " + port);
            }
        }

        private static void requireUnset(String setting, Object current) {
            if (current != null) {
                throw new IllegalStateException(setting + " was already set to " + current);
            }
        }
    }
}
