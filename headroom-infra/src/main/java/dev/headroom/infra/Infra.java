package dev.headroom.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Starts and stops the servers Headroom runs on: an embedded PostgreSQL 17 (zonky) and an embedded Redis 7.0
 * (the binary from embedded-redis), or external ones given by URL.
 *
 * <pre>{@code
 * try (Infra infra = Infra.builder().dataDir(Path.of(".headroom")).start()) {
 *     PostgresNode pg = infra.topology().primary();   // jdbc:postgresql://127.0.0.1:15432/postgres, user postgres
 *     RedisNode redis = infra.topology().redis();      // redis://127.0.0.1:16379
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> {@code <dataDir>/postgres} (PostgreSQL data directory, reused across starts),
 * {@code <dataDir>/redis} (Redis {@code dir}: AOF, pid file, config, lock), {@code <dataDir>/logs/postgres.log} and
 * {@code <dataDir>/logs/redis.log} (appended to, never truncated). Both servers listen on 127.0.0.1 only.
 *
 * <p><b>Start.</b> For each embedded server: (1) fail if another live process owns the directory (it holds the
 * directory's file lock); (2) stop a server that an earlier run left behind (a killed JVM does not take its
 * servers with it), found through the pid file and checked by executable and working directory; (3) pick the port
 * (the requested one, else the next free one above it); (4) start and wait until the server answers. On failure
 * whatever was started is stopped again and an {@link InfraException} names the server, the cause and the last
 * lines of its log.
 *
 * <p><b>Thread safety.</b> {@link #topology()} and {@link #close()} may be called from any thread; {@code close()}
 * runs once, and concurrent callers wait for it to finish (so a shutdown hook does not let the JVM exit halfway).
 */
public final class Infra implements AutoCloseable {

    /** Default data directory, relative to the working directory. */
    static final Path DEFAULT_DATA_DIR = Path.of(".headroom");
    static final int DEFAULT_POSTGRES_PORT = 15432;
    static final int DEFAULT_REDIS_PORT = 16379;

    private static final Logger LOG = LoggerFactory.getLogger(Infra.class);

    private final Consumer<String> log;
    /** Absolute data directory registered in this JVM, or null when both servers are external. */
    private final Path claimedDir;
    private final Object stateLock = new Object();
    private final Object closeLock = new Object();

    // guarded by stateLock
    private PostgresServer postgres;
    private RedisProcess redis;
    private FileChannel redisLock;
    private java.util.function.Supplier<RedisProcess> redisStarter;
    private Thread shutdownHook;
    private boolean closed;

    private volatile Topology topology;

    private Infra(Consumer<String> log, Path claimedDir) {
        this.log = log;
        this.claimedDir = claimedDir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What runs where. */
    public Topology topology() {
        return topology;
    }

    /**
     * Stops Redis, then PostgreSQL ({@code pg_ctl stop -m fast}), if this Infra started them; waits up to 30 s for
     * each, then kills it. Idempotent; never throws, also not for a server that already died.
     */
    @Override
    public void close() {
        synchronized (closeLock) {
            PostgresServer pg;
            RedisProcess rd;
            FileChannel rdLock;
            Thread hook;
            synchronized (stateLock) {
                if (closed) {
                    return;
                }
                closed = true;
                pg = postgres;
                rd = redis;
                rdLock = redisLock;
                hook = shutdownHook;
                postgres = null;
                redis = null;
                redisLock = null;
            }
            if (rd != null) {
                stopQuietly("redis", rd::stop);
            }
            if (rdLock != null) {
                try {
                    rdLock.close();
                } catch (IOException e) {
                    // the lock goes with the channel either way
                }
            }
            if (pg != null) {
                stopQuietly("postgres", pg::stop);
            }
            if (claimedDir != null) {
                DataDirs.releaseInJvm(claimedDir);
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

    /**
     * Kills the embedded Redis at once (SIGKILL: no save, no goodbye to clients), as a crash would, for
     * outage experiments. {@link #restartRedis()} brings it back on the same port.
     */
    public void killRedis() {
        RedisProcess rd;
        synchronized (stateLock) {
            if (redisStarter == null) {
                throw new IllegalStateException("only an embedded Redis can be killed; this one runs elsewhere");
            }
            rd = redis;
            redis = null;
        }
        if (rd != null) {
            rd.kill();
            log.accept("redis: killed");
        }
    }

    /** Starts the embedded Redis again, on the same port and data directory, after {@link #killRedis()}. */
    public void restartRedis() {
        synchronized (stateLock) {
            if (redisStarter == null) {
                throw new IllegalStateException("only an embedded Redis can be restarted; this one runs elsewhere");
            }
            if (closed) {
                throw new IllegalStateException("this Infra is closed");
            }
            if (redis != null) {
                return;
            }
            redis = redisStarter.get();
        }
    }

    private void stopQuietly(String server, Runnable stop) {
        try {
            stop.run();
            log.accept(server + ": stopped");
        } catch (RuntimeException e) {
            log.accept(server + ": could not stop cleanly: " + e.getMessage());
        }
    }

    private void start(Builder config) {
        Path dir = config.dataDir();
        Path absolute = dir.toAbsolutePath().normalize();
        Path pgDir = absolute.resolve("postgres");
        Path redisDir = absolute.resolve("redis");
        Path logs = absolute.resolve("logs");
        boolean embeddedPg = config.postgresTarget == null;
        boolean embeddedRedis = config.redisTarget == null;

        // 1. Claim the directories: fail before touching anything if a live process owns them.
        if (embeddedPg) {
            PostgresServer.claim(pgDir);
        }
        if (embeddedRedis) {
            FileChannel lock = RedisProcess.claim(redisDir);
            synchronized (stateLock) {
                redisLock = lock;
            }
        }
        // 2. Stop servers that an earlier, killed run left behind; this also frees their ports.
        if (embeddedPg) {
            PostgresServer.stopLeftOver(pgDir, log);
        }
        if (embeddedRedis) {
            RedisProcess.stopLeftOver(redisDir, log);
        }
        // 3. PostgreSQL, then Redis.
        PostgresNode primary;
        if (embeddedPg) {
            int port = Ports.choose("postgres", "postgresPort", config.postgresPortOrDefault(), log);
            PostgresServer pg = PostgresServer.start(pgDir, dir.resolve("postgres").toString(), logs.resolve("postgres.log"),
                    port, config.durableOrDefault(), config.postgresSettings, log);
            synchronized (stateLock) {
                if (closed) {
                    pg.stop();
                    throw new InfraException("postgres: stopped again because the Infra was closed while starting");
                }
                postgres = pg;
            }
            primary = new PostgresNode("primary", Ports.LOOPBACK.getHostAddress(), port,
                    PostgresServer.DATABASE, PostgresServer.USER, null, true);
        } else {
            primary = ExternalServers.reachPostgres(config.postgresTarget, log);
        }
        RedisNode redisNode;
        if (embeddedRedis) {
            int port = Ports.choose("redis", "redisPort", config.redisPortOrDefault(), log);
            boolean durable = config.durableOrDefault();
            java.util.function.Supplier<RedisProcess> starter = () -> RedisProcess.start(redisDir, dir.resolve("redis").toString(),
                    logs.resolve("redis.log"), port, durable, log);
            RedisProcess rd = starter.get();
            synchronized (stateLock) {
                if (closed) {
                    rd.stop();
                    throw new InfraException("redis: stopped again because the Infra was closed while starting");
                }
                redis = rd;
                redisStarter = starter;
            }
            redisNode = new RedisNode("redis", Ports.LOOPBACK.getHostAddress(), port, true);
        } else {
            redisNode = ExternalServers.reachRedis(config.redisTarget, log);
        }
        topology = new Topology(primary, List.of(), List.of(), redisNode);
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
            if (redisTarget != null && redisPort != null) {
                throw new IllegalStateException("redisPort must not be set together with redisUrl (the external server has its own port)");
            }
            Consumer<String> progress = log != null ? log : LOG::info;
            boolean anyEmbedded = postgresTarget == null || redisTarget == null;
            Path claimed = anyEmbedded ? dataDir().toAbsolutePath().normalize() : null;
            if (claimed != null && !DataDirs.claimInJvm(claimed)) {
                throw new InfraException("data directory " + claimed + " is in use by another Infra in this JVM; close that one first or use another dataDir");
            }
            Infra infra = new Infra(progress, claimed);
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
