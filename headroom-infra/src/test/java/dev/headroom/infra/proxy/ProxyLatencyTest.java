package dev.headroom.infra.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import static dev.headroom.infra.proxy.RoundTrips.added;
import static dev.headroom.infra.proxy.RoundTrips.micros;
import static dev.headroom.infra.proxy.RoundTrips.percentile;
import static dev.headroom.infra.proxy.RoundTrips.PING;
import static dev.headroom.infra.proxy.RoundTrips.time;
import static org.assertj.core.api.Assertions.assertThat;

/** Latency as a client sees it: the round trip it adds, live changes, and that jitter never reorders bytes. */
class ProxyLatencyTest {

    @RegisterExtension
    final EchoServer echo = new EchoServer();

    /**
     * Three blocks of interleaved pairs; the block least disturbed by the machine decides. Noise from other
     * builds on this machine only ever adds time, so the lowest block median is the best estimate of what the
     * proxy itself adds; a proxy that delays too little still fails the lower bound.
     */
    @Test
    void addsTheConfiguredRoundTrip() throws IOException {
        int blocks = 3;
        int pairs = 700;
        long best = Long.MAX_VALUE;
        StringBuilder report = new StringBuilder();
        try (TcpProxy proxy = echo.proxy().latency(Duration.ofMillis(2), Duration.of(500, ChronoUnit.MICROS)).start();
             Socket d = echo.connect(); Socket p = EchoServer.connect(proxy.port())) {
            for (int i = 0; i < 200; i++) { // warm-up: JIT, and TCP's delayed-ACK state on both paths
                time(d, PING);
                time(p, PING);
            }
            for (int b = 0; b < blocks; b++) {
                long[] direct = new long[pairs];
                long[] proxied = new long[pairs];
                for (int i = 0; i < pairs; i++) {
                    direct[i] = time(d, PING);
                    proxied[i] = time(p, PING);
                }
                long added = percentile(added(proxied, direct), 50);
                best = Math.min(best, added);
                report.append(b == 0 ? "" : ", ").append(micros(added));
                // Jitter ±0.5 ms on the round trip: nothing may come back faster than 1.5 ms.
                assertThat(percentile(proxied, 0)).isGreaterThanOrEqualTo(1_500_000L);
            }
        }
        System.out.printf("latency 2 ms ± 0.5 ms: added p50 %s (blocks of %d pairs: %s)%n", micros(best), pairs, report);
        // +15 % above: the proxy's own hop on a busy 2-core machine (one clean-clone CI: best block 2.25 ms)
        assertThat(best).isBetween(1_800_000L, 2_300_000L);
    }

    @Test
    void aChangeReachesALiveConnection() throws IOException {
        try (TcpProxy proxy = echo.proxy().start(); Socket p = EchoServer.connect(proxy.port())) {
            long[] before = new long[50];
            for (int i = 0; i < before.length; i++) {
                before[i] = time(p, PING);
            }
            proxy.latency(Duration.ofMillis(20));
            time(p, PING); // the first chunk may have been read before the change
            for (int i = 0; i < 10; i++) {
                assertThat(time(p, PING)).as("round trip %d after raising latency to 20 ms", i)
                        .isGreaterThanOrEqualTo(20_000_000L);
            }
            proxy.latency(Duration.ZERO);
            time(p, PING);
            long[] after = new long[50];
            for (int i = 0; i < after.length; i++) {
                after[i] = time(p, PING);
            }
            assertThat(percentile(before, 50)).isLessThan(10_000_000L);
            assertThat(percentile(after, 50)).isLessThan(10_000_000L);
        }
    }

    @Test
    void jitterNeverReorders() throws Exception {
        try (TcpProxy proxy = echo.proxy().latency(Duration.ofMillis(2), Duration.ofMillis(2)).start();
             Socket p = EchoServer.connect(proxy.port())) {
            assertInOrder(p, 3_000, () -> { });
        }
    }

    @Test
    void loweringLatencyMidStreamNeverReorders() throws Exception {
        try (TcpProxy proxy = echo.proxy().latency(Duration.ofMillis(50), Duration.ZERO).start();
             Socket p = EchoServer.connect(proxy.port())) {
            assertInOrder(p, 3_000, () -> proxy.latency(Duration.ZERO));
        }
    }

    /** Sends {@code count} numbers one write each, runs {@code midway} halfway, and expects them back in order. */
    private static void assertInOrder(Socket s, int count, Runnable midway) throws Exception {
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                for (int i = 0; i < count; i++) {
                    out.writeInt(i); // unbuffered: one segment, so one chunk, per number more often than not
                    if (i == count / 2) {
                        midway.run();
                    }
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        DataInputStream in = new DataInputStream(s.getInputStream());
        for (int i = 0; i < count; i++) {
            assertThat(in.readInt()).isEqualTo(i);
        }
        sender.get();
    }
}
