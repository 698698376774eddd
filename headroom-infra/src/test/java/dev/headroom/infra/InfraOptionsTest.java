package dev.headroom.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.headroom.infra.TestSupport.queryOne;
import static dev.headroom.infra.TestSupport.redis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fast (non-durable) settings, extra postgres settings, taken ports, and a server that cannot start. */
class InfraOptionsTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void initialize() {
        TestDirs.initialized(dir);
    }

    @Test
    void fastSettingsTakenPortsAndExtraSettings() throws Exception {
        try (ServerSocket heldForPostgres = new ServerSocket(0, 1, Ports.LOOPBACK);
             ServerSocket heldForRedis = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            int pgWanted = heldForPostgres.getLocalPort();
            int redisWanted = heldForRedis.getLocalPort();
            List<String> lines = new CopyOnWriteArrayList<>();
            try (Infra infra = Infra.builder().dataDir(dir)
                    .postgresPort(pgWanted).redisPort(redisWanted)
                    .durable(false)
                    .postgresSetting("shared_buffers", "32MB")
                    .postgresSetting("log_line_prefix", "%m [%p] ")
                    .postgresSetting("cluster_name", "it's \"quoted\" $HOME `x`")
                    .stopOnShutdown(false).log(lines::add).start()) {
                PostgresNode pg = infra.topology().primary();
                RedisNode rd = infra.topology().redis();
                assertThat(pg.port()).isNotEqualTo(pgWanted).isBetween(pgWanted + 1, pgWanted + Ports.SEARCH - 1);
                assertThat(rd.port()).isNotEqualTo(redisWanted).isBetween(redisWanted + 1, redisWanted + Ports.SEARCH - 1);
                assertThat(lines).contains(
                        "postgres: port " + pgWanted + " is taken, using " + pg.port(),
                        "redis: port " + redisWanted + " is taken, using " + rd.port());

                assertThat(queryOne(pg, "SHOW fsync")).isEqualTo("off");
                assertThat(queryOne(pg, "SHOW synchronous_commit")).isEqualTo("off");
                assertThat(queryOne(pg, "SHOW shared_buffers")).isEqualTo("32MB");
                assertThat(queryOne(pg, "SHOW log_line_prefix")).isEqualTo("%m [%p] ");
                assertThat(queryOne(pg, "SHOW cluster_name")).isEqualTo("it's \"quoted\" $HOME `x`");
                assertThat(redis(rd, "CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
                assertThat(redis(rd, "CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
            }
        }
    }

    @Test
    void extraSettingsOverrideDurability() throws Exception {
        try (Infra infra = Infra.builder().dataDir(dir).postgresPort(0).redisPort(0)
                .postgresSetting("synchronous_commit", "local")
                .stopOnShutdown(false).log(line -> { }).start()) {
            assertThat(queryOne(infra.topology().primary(), "SHOW fsync")).isEqualTo("on");
            assertThat(queryOne(infra.topology().primary(), "SHOW synchronous_commit")).isEqualTo("local");
        }
    }

    @Test
    void aServerThatCannotStartFailsFastWithItsLog() throws Exception {
        long started = System.nanoTime();
        assertThatThrownBy(() -> Infra.builder().dataDir(dir).postgresPort(0).redisPort(0)
                .postgresSetting("shared_buffers", "lots")
                .stopOnShutdown(false).log(line -> { }).start())
                .isInstanceOf(InfraException.class)
                .hasMessageStartingWith("postgres failed to start: pg_ctl could not start the server\nlast ")
                .hasMessageContaining(dir.toAbsolutePath().resolve("logs/postgres.log").toString())
                .hasMessageContaining("invalid value for parameter \"shared_buffers\": \"lots\"");
        // zonky alone would poll for the whole 60 s startup wait
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));

        // nothing was left behind: the lock is free and the next start works
        try (Infra infra = Infra.builder().dataDir(dir).postgresPort(0).redisPort(0).stopOnShutdown(false).log(line -> { }).start()) {
            assertThat(queryOne(infra.topology().primary(), "SELECT 1")).isEqualTo("1");
        }
    }
}
