package dev.headroom.infra;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Servers that cannot be reached or started, without an initdb. */
class FailureTest {

    @TempDir
    Path dir;

    @Test
    void unreachableExternalPostgres() throws IOException {
        int port = TestSupport.unusedPort();
        assertThatThrownBy(() -> Infra.builder()
                .postgresUrl("jdbc:postgresql://127.0.0.1:" + port + "/shop?user=app&password=secret")
                .redisUrl("redis://127.0.0.1:1")
                .stopOnShutdown(false).log(line -> { }).start())
                .isInstanceOf(InfraException.class)
                .hasMessageStartingWith("postgres: cannot connect to the external server jdbc:postgresql://127.0.0.1:" + port + "/shop as app: ")
                .hasMessageContaining("refused")
                .hasMessageNotContaining("secret")
                .hasMessageNotContaining("\n");
    }

    @Test
    void unreachableExternalRedis() throws IOException {
        int port = TestSupport.unusedPort();
        assertThat(ExternalServersTestAccess.reachRedis(port))
                .isEqualTo("redis: cannot reach the external server redis://127.0.0.1:" + port + ": Connection refused");
    }

    @Test
    void notARedisServer() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            Thread.ofPlatform().daemon().start(() -> {
                try (var socket = silent.accept()) {
                    socket.getOutputStream().write("-ERR who are you\r\n".getBytes());
                } catch (IOException e) {
                    // test over
                }
            });
            assertThat(ExternalServersTestAccess.reachRedis(silent.getLocalPort()))
                    .isEqualTo("redis: the external server redis://127.0.0.1:" + silent.getLocalPort() + " answered PING with -ERR who are you");
        }
    }

    @Test
    void redisThatCannotBindFailsWithItsLog() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            Path redisDir = dir.resolve("redis");
            Files.createDirectories(redisDir);
            Path log = dir.resolve("logs/redis.log");
            // Ports.choose would skip the taken port; this is the race where someone takes it after the check.
            assertThatThrownBy(() -> RedisProcess.start(redisDir, "redis", log, taken.getLocalPort(), false, line -> { }))
                    .isInstanceOf(InfraException.class)
                    .hasMessageStartingWith("redis failed to start: redis-server exited with code 1\nlast ")
                    .hasMessageContaining(log.toString())
                    .hasMessageContaining("Address in use"); // Redis 7 words it so
        }
    }

    @Test
    void noFreePortInTheSearchRange() throws IOException {
        int port = 65535;
        try (ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            try {
                taken.bind(new java.net.InetSocketAddress(Ports.LOOPBACK, port), 1);
            } catch (IOException e) {
                // someone else has it, which serves the same purpose
            }
            assumeFalse(Ports.isFree(port), "port 65535 must be held (by this test or another process) for the search to fail");
            assertThatThrownBy(() -> Ports.choose("redis", "redisPort", port, line -> { }))
                    .isInstanceOf(InfraException.class)
                    .hasMessage("redis: no free port in 65535..65535 on 127.0.0.1; stop what holds them or pass another redisPort");
        }
    }

    /** Runs the external Redis check and returns its failure message. */
    private static final class ExternalServersTestAccess {
        static String reachRedis(int port) {
            try {
                ExternalServers.reachRedis(new Urls.RedisTarget("127.0.0.1", port), line -> { });
                return "reached";
            } catch (InfraException e) {
                return e.getMessage();
            }
        }
    }
}
