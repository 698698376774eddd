package dev.headroom.testkit;

import dev.headroom.infra.Infra;
import dev.headroom.infra.InfraBuilder;
import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.RedisNode;

/**
 * The test JVM's embedded servers, started on first use and stopped (their temporary data deleted) when the JVM
 * exits. A test class asks for what it needs and nothing more is started: {@link #redis()} alone starts no
 * PostgreSQL. Once {@link #postgresAndRedis()} runs, the other two answer from it instead of starting more.
 *
 * <p>The servers are fast, not durable (no fsync, no AOF) and listen on free ports. A test that kills, freezes
 * or reconfigures a server starts its own with {@code Infra.builder().temporaryDataDir()}: these are shared.
 * Thread-safe.
 */
public final class TestServers {

    private static Infra both;
    private static Infra redisOnly;
    private static Infra postgresOnly;

    private TestServers() {
    }

    /** One PostgreSQL and one Redis in one {@link Infra}, for tests of code that needs both (the shop). */
    public static synchronized Infra postgresAndRedis() {
        if (both == null) {
            both = start(Infra.builder());
        }
        return both;
    }

    /** A Redis, without a PostgreSQL unless {@link #postgresAndRedis()} already started one. */
    public static synchronized RedisNode redis() {
        if (both != null) {
            return both.topology().redis();
        }
        if (redisOnly == null) {
            redisOnly = start(Infra.builder().postgresPrimaries(0));
        }
        return redisOnly.topology().redis();
    }

    /** A PostgreSQL, without a Redis unless {@link #postgresAndRedis()} already started one. */
    public static synchronized PostgresNode postgres() {
        if (both != null) {
            return both.topology().primary();
        }
        if (postgresOnly == null) {
            postgresOnly = start(Infra.builder().redis(false));
        }
        return postgresOnly.topology().primary();
    }

    private static Infra start(InfraBuilder builder) {
        // Infra's own shutdown hook stops the servers and deletes the temporary directory.
        return builder.temporaryDataDir().postgresPort(0).redisPort(0).durable(false).log(line -> { }).start();
    }
}
