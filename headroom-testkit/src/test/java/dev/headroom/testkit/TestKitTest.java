package dev.headroom.testkit;

import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.RedisNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ordered: the first test checks that asking for Redis alone starts no PostgreSQL, before the second asks for one. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestKitTest {

    @Test
    @Order(1)
    void redisAloneStartsNoPostgres() throws Exception {
        RedisNode redis = TestServers.redis();
        assertThat(TestServers.redis()).isSameAs(redis);
        try (Socket socket = new Socket(redis.host(), redis.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(7), StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
        }
        assertThat(ProcessHandle.current().descendants().map(p -> p.info().command().orElse(""))
                .filter(command -> command.endsWith("/postgres"))).isEmpty();
    }

    @Test
    @Order(2)
    void postgresAnswers() throws Exception {
        PostgresNode pg = TestServers.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT 41 + 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void untilReturnsTheAcceptedValueAndFailsWithTheLastOne() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(Await.until(calls::incrementAndGet, n -> n == 3)).isEqualTo(3);
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(50), () -> "never", "done"::equals))
                .isInstanceOf(AssertionError.class)
                .hasMessage("condition not met within 50 ms; last value: never");
        assertThatThrownBy(() -> Await.until(Duration.ofMillis(50), () -> {
            throw new IllegalStateException("not up");
        }, v -> true)).isInstanceOf(AssertionError.class).hasRootCauseMessage("not up");
    }

    @Test
    void fakeClockMovesOnlyForward() {
        FakeClock clock = new FakeClock(Duration.ZERO);
        assertThat(clock.read()).isZero();
        assertThat(clock.advance(Duration.ofMillis(5)).read()).isEqualTo(5_000_000);
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("advance must not be negative, was -1 ms");
    }
}
