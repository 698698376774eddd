package dev.headroom.infra.proxy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static dev.headroom.infra.proxy.ProxyFaultsTest.assertResetOnArrival;
import static dev.headroom.infra.proxy.ProxyFaultsTest.awaitTrue;
import static dev.headroom.infra.proxy.ProxyFaultsTest.randomBytes;
import static dev.headroom.infra.proxy.RoundTrips.readFully;
import static dev.headroom.infra.proxy.RoundTrips.time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without faults the proxy is a wire: bytes intact both ways, half-close passed on, counted, shut down cleanly. */
class ProxyForwardingTest {

    @RegisterExtension
    final EchoServer echo = new EchoServer();

    @Test
    void forwardsAndCountsBytesBothWays() throws Exception {
        byte[] payload = randomBytes(4 * 1024 * 1024);
        try (TcpProxy proxy = echo.proxy().start(); Socket s = EchoServer.connect(proxy.port())) {
            assertThat(proxy.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), proxy.port()));
            assertThat(proxy.upstream().getPort()).isEqualTo(echo.port());
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
            assertThat(back).isEqualTo(payload);
            // a pipe counts a chunk after writing it, so the reader can get there first
            awaitTrue(() -> proxy.bytesToClient() == payload.length && proxy.bytesToUpstream() == payload.length,
                    "every byte counted both ways");
            assertThat(proxy.bytesToUpstream()).isEqualTo(payload.length);
            assertThat(proxy.bytesToClient()).isEqualTo(payload.length);
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
            assertThat(proxy.connectionsActive()).isEqualTo(1);
        }
    }

    @Test
    void passesHalfCloseOnAndEndsTheConnection() throws Exception {
        try (TcpProxy proxy = echo.proxy().start(); Socket s = EchoServer.connect(proxy.port())) {
            s.getOutputStream().write("last words".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput(); // the echo server answers, then closes its side after our FIN
            assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("last words");
            awaitTrue(() -> proxy.connectionsActive() == 0, "the connection ends once both sides closed");
        }
    }

    @Test
    void servesConnectionsConcurrently() throws Exception {
        try (TcpProxy proxy = echo.proxy().start()) {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                clients.add(CompletableFuture.runAsync(() -> {
                    try (Socket s = EchoServer.connect(proxy.port())) {
                        for (int i = 0; i < 200; i++) {
                            time(s, new byte[64]);
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
            assertThat(proxy.connectionsAccepted()).isEqualTo(8);
            // a pipe counts a chunk after writing it, so the last reader can get there first
            awaitTrue(() -> proxy.bytesToClient() >= 8 * 200 * 64, "every byte back counted");
            assertThat(proxy.bytesToClient()).isEqualTo(8 * 200 * 64);
            awaitTrue(() -> proxy.connectionsActive() == 0, "all connections end");
        }
    }

    @Test
    void resetsTheClientWhenUpstreamIsDown() throws Exception {
        int nobody;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = taken.getLocalPort(); // free again once closed, and nothing listens there
        }
        try (TcpProxy proxy = TcpProxy.builder().upstream("127.0.0.1", nobody).start()) {
            assertResetOnArrival(proxy.port());
            awaitTrue(() -> proxy.connectionsActive() == 0, "the failed connection is forgotten");
        }
    }

    @Test
    void closeResetsConnectionsAndStopsListening() throws Exception {
        TcpProxy proxy = echo.proxy().start();
        int port = proxy.port();
        try (Socket s = EchoServer.connect(port)) {
            time(s, new byte[8]);
            proxy.close();
            assertThatThrownBy(() -> s.getInputStream().read())
                    .isInstanceOf(SocketException.class).hasMessage("Connection reset");
        }
        assertThatThrownBy(() -> EchoServer.connect(port)).isInstanceOf(ConnectException.class);
        proxy.close();
        assertThat(proxy.toString()).endsWith(", closed]");
    }
}
