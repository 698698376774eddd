package dev.headroom.infra.proxy;

import org.junit.jupiter.api.Test;

import java.net.Socket;

import static dev.headroom.infra.proxy.RoundTrips.added;
import static dev.headroom.infra.proxy.RoundTrips.micros;
import static dev.headroom.infra.proxy.RoundTrips.percentile;
import static dev.headroom.infra.proxy.RoundTrips.time;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's own cost with no fault set: each round trip through it minus the direct one just before it, on one
 * thread, so that both of a pair see the same machine. A measurement printed for docs/patterns/network-faults.md, not a speed claim:
 * the bound is only a sanity check for a shared, noisy machine.
 */
class ProxyCostTest {

    private static final int WARM_UP = 5_000;
    private static final int ROUNDS = 20_000;

    @Test
    void ownCostAtZeroLatency() throws Exception {
        byte[] ping = new byte[32];
        long[] direct = new long[ROUNDS];
        long[] proxied = new long[ROUNDS];
        try (EchoServer echo = new EchoServer(); TcpProxy proxy = echo.proxy().start();
             Socket d = echo.connect(); Socket p = EchoServer.connect(proxy.port())) {
            for (int i = 0; i < WARM_UP; i++) {
                time(d, ping);
                time(p, ping);
            }
            for (int i = 0; i < ROUNDS; i++) {
                direct[i] = time(d, ping);
                proxied[i] = time(p, ping);
            }
        }
        long[] added = added(proxied, direct);
        long addedP50 = percentile(added, 50);
        System.out.printf("proxy cost at 0 ms: p50 +%s, p99 +%s (direct p50 %s, p99 %s; proxied p50 %s, p99 %s;"
                        + " %d interleaved pairs)%n",
                micros(addedP50), micros(percentile(added, 99)), micros(percentile(direct, 50)),
                micros(percentile(direct, 99)), micros(percentile(proxied, 50)), micros(percentile(proxied, 99)), ROUNDS);
        assertThat(addedP50).isLessThan(1_000_000L);
    }
}
