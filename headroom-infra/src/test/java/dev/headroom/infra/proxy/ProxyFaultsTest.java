package dev.headroom.infra.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.headroom.infra.proxy.RoundTrips.readFully;
import static dev.headroom.infra.proxy.RoundTrips.PING;
import static dev.headroom.infra.proxy.RoundTrips.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Cut, refuse-new, stall and the bandwidth cap, each as the client on a real socket sees it. */
class ProxyFaultsTest {

    @RegisterExtension
    final EchoServer echo = new EchoServer();

    @Test
    void cutResetsCurrentConnectionsOnly() throws Exception {
        try (TcpProxy proxy = echo.proxy().start(); Socket first = EchoServer.connect(proxy.port())) {
            time(first, PING);
            proxy.cutAll();
            assertThatThrownBy(() -> first.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessage("Connection reset");
            awaitTrue(() -> proxy.connectionsActive() == 0, "no active connection after the cut");
            try (Socket next = EchoServer.connect(proxy.port())) {
                time(next, PING);
            }
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void refuseNewResetsNewConnectionsAndSparesExistingOnes() throws Exception {
        try (TcpProxy proxy = echo.proxy().start(); Socket existing = EchoServer.connect(proxy.port())) {
            time(existing, PING);
            proxy.refuseNew(true);
            assertResetOnArrival(proxy.port());
            time(existing, PING);
            proxy.refuseNew(false);
            try (Socket again = EchoServer.connect(proxy.port())) {
                time(again, PING);
            }
            assertThat(proxy.connectionsRefused()).isEqualTo(1);
            assertThat(proxy.connectionsAccepted()).isEqualTo(2);
        }
    }

    @Test
    void stallHoldsEverythingUntilReleasedThenDeliversInOrder() throws Exception {
        try (TcpProxy proxy = echo.proxy().start(); Socket existing = EchoServer.connect(proxy.port())) {
            time(existing, PING);
            // The echo can answer before the pipe has counted what it wrote.
            awaitTrue(() -> proxy.bytesToUpstream() == PING.length, "the ping counted");
            long before = proxy.bytesToUpstream();
            proxy.stall(true);
            try (Socket arrivedDuringStall = EchoServer.connect(proxy.port())) {
                int count = 200;
                for (Socket s : new Socket[] {existing, arrivedDuringStall}) {
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    for (int i = 0; i < count; i++) {
                        out.writeInt(i);
                    }
                }
                for (Socket s : new Socket[] {existing, arrivedDuringStall}) {
                    s.setSoTimeout(300);
                    assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
                    s.setSoTimeout(30_000);
                }
                assertThat(proxy.bytesToUpstream()).isEqualTo(before);

                proxy.stall(false);
                for (Socket s : new Socket[] {existing, arrivedDuringStall}) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    for (int i = 0; i < count; i++) {
                        assertThat(in.readInt()).isEqualTo(i);
                    }
                }
            }
        }
    }

    @Test
    void bandwidthCapsATransfer() throws Exception {
        int bytes = 500_000;
        long cap = 500_000;
        try (TcpProxy proxy = echo.proxy().bandwidth(cap).start(); Socket s = EchoServer.connect(proxy.port())) {
            byte[] payload = randomBytes(bytes);
            long start = System.nanoTime();
            byte[] back = echoed(s, payload);
            long elapsed = System.nanoTime() - start;
            System.out.printf("bandwidth %d bytes/s: %d bytes there and back in %d ms (%d ms at the cap)%n",
                    cap, bytes, elapsed / 1_000_000, bytes * 1_000L / cap);
            assertThat(back).isEqualTo(payload);
            // Both directions are capped but pipelined, so the whole exchange takes about bytes / cap.
            assertThat(elapsed).isGreaterThanOrEqualTo((long) (0.8 * bytes * 1e9 / cap));
            assertThat(elapsed).isLessThan(10_000_000_000L);
        }
    }

    @Test
    void liftingTheCapSpeedsUpALiveTransfer() throws Exception {
        int bytes = 4 * 1024 * 1024; // 80 s at the cap
        try (TcpProxy proxy = echo.proxy().bandwidth(50_000).start(); Socket s = EchoServer.connect(proxy.port())) {
            byte[] payload = randomBytes(bytes);
            CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS)
                    .execute(() -> proxy.bandwidth(TcpProxy.UNCAPPED));
            long start = System.nanoTime();
            assertThat(echoed(s, payload)).isEqualTo(payload);
            assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
        }
    }

    /** Sends {@code payload} from another thread while reading the echo, so neither side waits on the other. */
    private static byte[] echoed(Socket s, byte[] payload) throws Exception {
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                s.getOutputStream().write(payload);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] back = new byte[payload.length];
        readFully(s.getInputStream(), back);
        sender.get();
        return back;
    }

    /**
     * The kernel completes the handshake before the proxy sees a connection, so the reset usually meets the
     * client's first read; if it arrives first, connect itself reports it ("Connection reset by peer").
     */
    static void assertResetOnArrival(int port) {
        assertThatThrownBy(() -> {
            try (Socket s = EchoServer.connect(port)) {
                s.getInputStream().read();
            }
        }).isInstanceOf(SocketException.class).hasMessageStartingWith("Connection reset");
    }

    static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what + " within 10 s").isNegative();
            Thread.sleep(10);
        }
    }
}
