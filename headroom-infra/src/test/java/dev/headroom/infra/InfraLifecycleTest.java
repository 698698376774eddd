package dev.headroom.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.headroom.infra.TestSupport.execute;
import static dev.headroom.infra.TestSupport.queryOne;
import static dev.headroom.infra.TestSupport.redis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Durable defaults, data kept across restarts, external servers, and one owner per data directory. */
class InfraLifecycleTest {

    /** Shared by the tests that do not care about a fresh directory. */
    @TempDir
    static Path shared;

    @BeforeAll
    static void initialize() {
        TestDirs.initialized(shared);
    }

    @Test
    void aFirstStartRunsInitdb() {
        Path template = TestDirs.templateStart().getKey();
        // PostgreSQL and Redis start in parallel, so only each server's own lines keep their order.
        List<String> lines = TestDirs.templateStart().getValue().stream().filter(line -> line.startsWith("postgres:")).toList();
        assertThat(lines.get(0)).isEqualTo("postgres: initializing a new data directory " + template.resolve("postgres") + " (initdb)");
        assertThat(lines.get(1)).startsWith("postgres: starting on 127.0.0.1:");
        assertThat(TestDirs.templateStart().getValue()).endsWith("redis: stopped", "postgres: stopped");
    }

    @Test
    void durableServersKeepTheirDataAcrossRestarts(@TempDir Path dir) throws Exception {
        TestDirs.initialized(dir);
        List<String> firstRun = new CopyOnWriteArrayList<>();
        String systemId;
        try (Infra infra = start(dir, firstRun)) {
            Topology topology = infra.topology();
            PostgresNode pg = topology.primary();
            assertThat(pg).isEqualTo(new PostgresNode("primary", "127.0.0.1", pg.port(), "postgres", "postgres", null, true));
            assertThat(topology.replicas()).isEmpty();
            assertThat(topology.shards()).isEmpty();
            assertThat(topology.redis()).isEqualTo(new RedisNode("redis", "127.0.0.1", topology.redis().port(), true));

            assertThat(queryOne(pg, "SELECT 1")).isEqualTo("1");
            assertThat(queryOne(pg, "SHOW fsync")).isEqualTo("on");
            assertThat(queryOne(pg, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(queryOne(pg, "SHOW full_page_writes")).isEqualTo("on");
            assertThat(queryOne(pg, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(queryOne(pg, "SHOW server_version")).startsWith("17.");
            execute(pg, "CREATE TABLE kept (id int PRIMARY KEY, note text)");
            execute(pg, "INSERT INTO kept VALUES (1, 'still here')");

            RedisNode rd = topology.redis();
            assertThat(redis(rd, "PING")).isEqualTo("+PONG");
            assertThat(redis(rd, "SET", "kept", "also here")).isEqualTo("+OK");
            assertThat(redis(rd, "GET", "kept")).isEqualTo("also here");
            assertThat(redis(rd, "CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "yes"));
            assertThat(redis(rd, "CONFIG", "GET", "appendfsync")).isEqualTo(List.of("appendfsync", "everysec"));
            assertThat(redis(rd, "CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));

            systemId = queryOne(pg, "SELECT system_identifier FROM pg_control_system()");
            assertThat(firstRun).contains(
                    "postgres: starting on 127.0.0.1:" + pg.port() + " (data " + dir.resolve("postgres") + ")",
                    "redis: starting on 127.0.0.1:" + rd.port() + " (data " + dir.resolve("redis") + ")");
            assertThat(Files.size(dir.resolve("logs/postgres.log"))).isPositive();
            assertThat(Files.size(dir.resolve("logs/redis.log"))).isPositive();
        }
        assertThat(firstRun).endsWith("redis: stopped", "postgres: stopped");
        assertThat(dir.resolve("postgres/postmaster.pid")).doesNotExist();
        assertThat(dir.resolve("redis/redis.pid")).doesNotExist();

        List<String> secondRun = new CopyOnWriteArrayList<>();
        try (Infra infra = start(dir, secondRun)) {
            assertThat(secondRun).noneMatch(line -> line.contains("initdb"));
            assertThat(queryOne(infra.topology().primary(), "SELECT system_identifier FROM pg_control_system()"))
                    .as("same cluster, not a new initdb").isEqualTo(systemId);
            assertThat(queryOne(infra.topology().primary(), "SELECT note FROM kept WHERE id = 1")).isEqualTo("still here");
            assertThat(redis(infra.topology().redis(), "GET", "kept")).isEqualTo("also here");
        }
    }

    @Test
    void externalServersAreCheckedAndLeftRunning() throws Exception {
        try (Infra embedded = start(shared, new CopyOnWriteArrayList<>())) {
            PostgresNode pg = embedded.topology().primary();
            RedisNode rd = embedded.topology().redis();
            List<String> lines = new CopyOnWriteArrayList<>();
            Infra external = Infra.builder()
                    .postgresUrl(pg.jdbcUrl() + "?user=postgres")
                    .redisUrl(rd.uri())
                    .stopOnShutdown(false)
                    .log(lines::add)
                    .start();
            assertThat(external.topology().primary())
                    .isEqualTo(new PostgresNode("primary", "127.0.0.1", pg.port(), "postgres", "postgres", null, false));
            assertThat(external.topology().redis()).isEqualTo(new RedisNode("redis", "127.0.0.1", rd.port(), false));
            external.close();
            assertThat(lines).containsExactly(
                    "postgres: using the external server " + pg.jdbcUrl() + " as postgres",
                    "redis: using the external server " + rd.uri());
            int nothing = TestSupport.unusedPort();
            assertThatThrownBy(() -> Infra.builder().postgresUrl(pg.jdbcUrl() + "?user=postgres").redisUrl("redis://127.0.0.1:" + nothing)
                    .stopOnShutdown(false).log(line -> { }).start())
                    .isInstanceOf(InfraException.class)
                    .hasMessage("redis: cannot reach the external server redis://127.0.0.1:" + nothing + ": Connection refused");
            // closing the external views stopped nothing
            assertThat(queryOne(pg, "SELECT 1")).isEqualTo("1");
            assertThat(redis(rd, "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void oneInfraPerDataDirectoryAndCloseIsIdempotent() throws Exception {
        Infra infra = start(shared, new CopyOnWriteArrayList<>());
        try {
            assertThatThrownBy(() -> start(shared, new CopyOnWriteArrayList<>()))
                    .isInstanceOf(InfraException.class)
                    .hasMessage("data directory " + shared.toAbsolutePath().normalize()
                            + " is in use by another Infra in this JVM; close that one first or use another dataDir");
            // the refused start did not disturb the running servers
            assertThat(queryOne(infra.topology().primary(), "SELECT 1")).isEqualTo("1");

            // both servers die behind the Infra's back (postgres leaves its postmaster.pid behind)
            for (Path pidFile : List.of(shared.resolve("postgres/postmaster.pid"), shared.resolve("redis/redis.pid"))) {
                long pid = ServerProcesses.readPid(pidFile).orElseThrow();
                ServerProcesses.stop(ProcessHandle.of(pid).orElseThrow(), Duration.ZERO);
            }
            assertThat(shared.resolve("postgres/postmaster.pid")).exists();
        } finally {
            infra.close(); // must not throw for dead servers
        }
        infra.close();
        // the directory is free again once closed, and the stale postmaster.pid does not stop a new start
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Infra again = start(shared, lines)) {
            assertThat(queryOne(again.topology().primary(), "SELECT 1")).isEqualTo("1");
            assertThat(lines).noneMatch(line -> line.contains("left running"));
        }
    }

    @Test
    void aKilledRedisComesBackOnItsPort(@TempDir Path dir) throws Exception {
        TestDirs.initialized(dir);
        List<String> lines = new CopyOnWriteArrayList<>();
        try (Infra infra = start(dir, lines)) {
            RedisNode rd = infra.topology().redis();
            redis(rd, "SET", "k", "v");
            Node node = infra.node("redis");
            long pid = node.pid().orElseThrow();
            node.kill();
            assertThat(lines).contains("redis: killed (pid " + pid + ")");
            assertThatThrownBy(() -> redis(rd, "PING")).isInstanceOf(java.io.IOException.class);
            node.restart();
            assertThat(redis(rd, "PING")).isEqualTo("+PONG");
            node.restart(); // running: stopped in order, then started again
            assertThat(redis(rd, "PING")).isEqualTo("+PONG");
            assertThat(redis(rd, "GET", "k")).isEqualTo("v"); // durable: the AOF brought it back
        }
        assertThat(lines).endsWith("redis: stopped", "postgres: stopped");
    }

    private static Infra start(Path dir, List<String> lines) {
        return Infra.builder().dataDir(dir).postgresPort(0).redisPort(0).stopOnShutdown(false).log(lines::add).start();
    }
}
