package dev.headroom.infra.proxy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Validation messages, exactly; the running proxy's setters check the same way and keep the old value. */
class ProxyBuilderTest {

    private static final Duration HALF_MS = Duration.of(500, ChronoUnit.MICROS);

    @Test
    void upstreamIsChecked() {
        assertThatThrownBy(() -> TcpProxy.builder().upstream(null, 5432))
                .isInstanceOf(NullPointerException.class).hasMessage("upstream host must not be null");
        assertThatThrownBy(() -> TcpProxy.builder().upstream(" ", 5432))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("upstream host must not be blank, was \" \"");
        assertThatThrownBy(() -> TcpProxy.builder().upstream("127.0.0.1", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upstream port must be between 1 and 65535, was 0");
        assertThatThrownBy(() -> TcpProxy.builder().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("upstream must be set before start (upstream(host, port))");
    }

    @Test
    void listenPortIsChecked() throws IOException {
        assertThatThrownBy(() -> TcpProxy.builder().listenPort(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("listenPort must be between 0 and 65535, was 70000");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> TcpProxy.builder().upstream("127.0.0.1", 5432).listenPort(port).start())
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("listenPort " + port + " cannot be bound on 127.0.0.1 (Address already in use);"
                            + " choose another port or 0 for any free one");
        }
    }

    @Test
    void latencyIsChecked() {
        assertThatThrownBy(() -> TcpProxy.builder().latency(Duration.ofMillis(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("latency must not be negative, was -1 ms");
        assertThatThrownBy(() -> TcpProxy.builder().latency(Duration.ofMillis(2), HALF_MS.negated()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must not be negative, was -500 µs");
        assertThatThrownBy(() -> TcpProxy.builder().latency(Duration.ofMillis(2), Duration.ofMillis(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must not exceed latency (2 ms), was 3 ms");
        assertThatThrownBy(() -> TcpProxy.builder().latency(Duration.ofMinutes(2), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency must be at most 60 s (use stall to hold data indefinitely), was 120 s");
        assertThatThrownBy(() -> TcpProxy.builder().latency(null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class).hasMessage("latency must not be null");
        assertThatThrownBy(() -> TcpProxy.builder().latency(Duration.ZERO, null))
                .isInstanceOf(NullPointerException.class).hasMessage("jitter must not be null");
    }

    @Test
    void bandwidthIsChecked() {
        assertThatThrownBy(() -> TcpProxy.builder().bandwidth(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bandwidth must not be negative (0 means no cap), was -1 bytes/s");
    }

    @Test
    void settersRunOnce() {
        assertThatThrownBy(() -> TcpProxy.builder().upstream("127.0.0.1", 5432).upstream("127.0.0.1", 6379))
                .isInstanceOf(IllegalStateException.class).hasMessage("upstream was already set to 127.0.0.1:5432");
        assertThatThrownBy(() -> TcpProxy.builder().listenPort(0).listenPort(1))
                .isInstanceOf(IllegalStateException.class).hasMessage("listenPort was already set to 0");
        assertThatThrownBy(() -> TcpProxy.builder().latency(Duration.ofMillis(2), HALF_MS).latency(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalStateException.class).hasMessage("latency was already set to 2 ms ± 500 µs");
        assertThatThrownBy(() -> TcpProxy.builder().bandwidth(1_000_000).bandwidth(0))
                .isInstanceOf(IllegalStateException.class).hasMessage("bandwidth was already set to 1000000 bytes/s");
    }

    @Test
    void runningSettersCheckTheSameWayAndKeepTheOldValue() {
        try (TcpProxy proxy = TcpProxy.builder().upstream("127.0.0.1", 5432)
                .latency(Duration.ofMillis(2), HALF_MS).bandwidth(1_000_000).start()) {
            assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(1), Duration.ofMillis(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter must not exceed latency (1 ms), was 2 ms");
            assertThatThrownBy(() -> proxy.latency(Duration.ofNanos(-10)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("latency must not be negative, was -10 ns");
            assertThatThrownBy(() -> proxy.bandwidth(-5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bandwidth must not be negative (0 means no cap), was -5 bytes/s");
            assertThat(proxy.toString()).isEqualTo("TcpProxy[127.0.0.1:" + proxy.port()
                    + " -> 127.0.0.1:5432, latency 2 ms ± 500 µs, bandwidth 1000000 bytes/s]");
            proxy.stall(true);
            proxy.refuseNew(true);
            assertThat(proxy.toString()).endsWith(", stalled, refusing new]");
        }
    }

    @Test
    void durationsShowInTheLargestExactUnit() {
        assertThat(Faults.format(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(Faults.format(Duration.ofSeconds(2))).isEqualTo("2 s");
        assertThat(Faults.format(Duration.ofMillis(1500))).isEqualTo("1500 ms");
        assertThat(Faults.format(HALF_MS)).isEqualTo("500 µs");
        assertThat(Faults.format(Duration.ofNanos(1_000_010))).isEqualTo("1000010 ns");
        assertThat(Faults.format(Duration.ofMillis(-1))).isEqualTo("-1 ms");
    }
}
