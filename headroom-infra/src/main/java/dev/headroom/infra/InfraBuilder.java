package dev.headroom.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Configures and starts an {@link Infra}. Each setter may be called once (postgresSetting once per key) and
 * checks its argument at once; rules that involve several settings are checked by {@link #start()}.
 * Not thread-safe.
 */
public final class InfraBuilder {

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
    Urls.PostgresTarget postgresTarget;
    private String redisUrl;
    Urls.RedisTarget redisTarget;
    private Boolean durable;
    final Map<String, String> postgresSettings = new LinkedHashMap<>();
    private Boolean stopOnShutdown;
    private Consumer<String> log;
    private Integer primaries;
    private Integer replicas;
    private Boolean redis;
    private boolean temporary;

    InfraBuilder() {
    }

    /**
     * Where the servers keep their data and logs: {@code <dir>/postgres}, {@code <dir>/replica-N},
     * {@code <dir>/redis}, {@code <dir>/logs}. Default: {@code .headroom}, relative to the working directory.
     */
    public InfraBuilder dataDir(Path dir) {
        Objects.requireNonNull(dir, "dataDir must not be null");
        requireUnset("dataDir", dataDir);
        dataDir = dir;
        return this;
    }

    /**
     * A data directory made for this Infra alone (under {@code java.io.tmpdir}) and deleted by {@link #close()}:
     * for tests and experiments. Instead of {@link #dataDir}.
     */
    public InfraBuilder temporaryDataDir() {
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
    public InfraBuilder postgresPrimaries(int count) {
        if (count < 0 || count > Infra.MAX_PRIMARIES) {
            throw new IllegalArgumentException("postgresPrimaries must be between 0 and " + Infra.MAX_PRIMARIES + ", was " + count);
        }
        requireUnset("postgresPrimaries", primaries);
        primaries = count;
        return this;
    }

    /**
     * How many streaming replicas of the embedded primary to start, 0 to {@value Infra#MAX_REPLICAS}: hot standbys
     * named {@code replica-1..n}, data in {@code <dataDir>/replica-N}, on the ports from {@link #postgresPort} + 10
     * (15442, 15443, ...; any free port when postgresPort is 0). Each is made by a base backup of the primary on its
     * first start and reuses its data afterwards. Needs one embedded primary (no {@link #postgresUrl}, no shards).
     * Default: 0.
     */
    public InfraBuilder replicas(int count) {
        if (count < 0 || count > Infra.MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be between 0 and " + Infra.MAX_REPLICAS + ", was " + count);
        }
        requireUnset("replicas", replicas);
        replicas = count;
        return this;
    }

    /** {@code false}: start no Redis (the topology has none). Default: true. */
    public InfraBuilder redis(boolean on) {
        requireUnset("redis", redis);
        redis = on;
        return this;
    }

    /**
     * Port of the embedded PostgreSQL on 127.0.0.1; if taken, the next free one of the 100 above it; 0 for any
     * free port. Default: 15432.
     */
    public InfraBuilder postgresPort(int port) {
        requirePort("postgresPort", port);
        requireUnset("postgresPort", postgresPort);
        postgresPort = port;
        return this;
    }

    /** Port of the embedded Redis on 127.0.0.1; same rules as {@link #postgresPort}. Default: 16379. */
    public InfraBuilder redisPort(int port) {
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
    public InfraBuilder postgresUrl(String jdbcUrl) {
        Urls.PostgresTarget target = Urls.parsePostgres(jdbcUrl);
        requireUnset("postgresUrl", postgresUrl == null ? null : Urls.mask(postgresUrl));
        postgresUrl = jdbcUrl;
        postgresTarget = target;
        return this;
    }

    /** Use this Redis server instead of the embedded one: {@code redis://host:port} (port defaults to 6379). Checked with PING at start. Default: none (embedded). */
    public InfraBuilder redisUrl(String uri) {
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
    public InfraBuilder durable(boolean on) {
        requireUnset("durable", durable);
        durable = on;
        return this;
    }

    /**
     * An extra postgresql.conf setting for the embedded server, passed as {@code -c key=value}, e.g.
     * {@code shared_buffers=256MB}. Wins over the {@link #durable} settings. {@code port},
     * {@code listen_addresses} and the file locations are managed by Infra and refused.
     */
    public InfraBuilder postgresSetting(String key, String value) {
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
    public InfraBuilder stopOnShutdown(boolean on) {
        requireUnset("stopOnShutdown", stopOnShutdown);
        stopOnShutdown = on;
        return this;
    }

    /**
     * Receives one-line progress messages such as
     * {@code postgres: starting on 127.0.0.1:15432 (data .headroom/postgres)}. Called from the starting thread
     * and from whichever thread closes. Default: SLF4J at info level, logger {@code dev.headroom.infra.Infra}.
     */
    public InfraBuilder log(Consumer<String> progress) {
        Objects.requireNonNull(progress, "log must not be null");
        requireUnset("log", log);
        log = progress;
        return this;
    }

    /**
     * Starts PostgreSQL and Redis (or checks the external ones), then the replicas, and returns when all answer.
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
        if (replicasOrDefault() > 0 && postgresTarget != null) {
            throw new IllegalStateException("replicas must be 0 with postgresUrl (Infra makes replicas of its embedded primary only), was " + replicas);
        }
        if (replicasOrDefault() > 0 && primariesOrDefault() != 1) {
            throw new IllegalStateException("replicas need postgresPrimaries 1 (replicas follow the one embedded primary; shards have none), was postgresPrimaries "
                    + primariesOrDefault() + " with replicas " + replicas);
        }
        if (replicasOrDefault() > 0) {
            requireReplicationSettings();
        }
        if (redisTarget != null && redis != null && !redis) {
            throw new IllegalStateException("redis(false) must not be set together with redisUrl");
        }
        if (redisTarget != null && redisPort != null) {
            throw new IllegalStateException("redisPort must not be set together with redisUrl (the external server has its own port)");
        }
        Consumer<String> progress = log != null ? log : Infra.LOG::info;
        boolean anyEmbedded = (postgresTarget == null && primariesOrDefault() > 0) || (redisTarget == null && redisOrDefault());
        Path claimed = anyEmbedded ? dataDir().toAbsolutePath().normalize() : null;
        if (claimed != null && !DataDirs.claimInJvm(claimed)) {
            throw new InfraException("data directory " + claimed + " is in use by another Infra in this JVM; close that one first or use another dataDir");
        }
        if (temporary && claimed == null) {
            Infra.deleteTree(dataDir); // every server is external: nothing will use it
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
        return dataDir != null ? dataDir : Infra.DEFAULT_DATA_DIR;
    }

    int postgresPortOrDefault() {
        return postgresPort != null ? postgresPort : Infra.DEFAULT_POSTGRES_PORT;
    }

    int redisPortOrDefault() {
        return redisPort != null ? redisPort : Infra.DEFAULT_REDIS_PORT;
    }

    int primariesOrDefault() {
        return primaries != null ? primaries : 1;
    }

    int replicasOrDefault() {
        return replicas != null ? replicas : 0;
    }

    boolean redisOrDefault() {
        return redis == null || redis;
    }

    boolean durableOrDefault() {
        return durable == null || durable;
    }

    /** The primary's own settings that would keep replicas from connecting; PostgreSQL 17's defaults all fit. */
    private void requireReplicationSettings() {
        String walLevel = postgresSettings.get("wal_level");
        if (walLevel != null && walLevel.equalsIgnoreCase("minimal")) {
            throw new IllegalStateException("postgresSetting wal_level must be replica or logical with replicas, was minimal");
        }
        for (String key : new String[] {"max_wal_senders", "max_replication_slots"}) {
            String value = postgresSettings.get(key);
            if (value != null && value.matches("\\d{1,9}") && Integer.parseInt(value) < replicas) {
                throw new IllegalStateException("postgresSetting " + key + " must be at least replicas (" + replicas + "), was " + value);
            }
        }
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
