package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The edge's client connections over real sockets: slow and idle ones cut, too many refused with a readable 503. */
class ClientGuardTest {
    private static Vertx vertx;
    private static TestBackend backend;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        backend = TestBackend.start(vertx, "a");
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    private static Socket open(EdgeServer edge, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", edge.port()), 2_000);
        s.setSoTimeout(5_000);
        return s;
    }

    private static String sendAndReadToClose(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aHalfSentHeaderIsCutAtTheHeaderTimeoutAndAnIdleClientAtTheKeepAliveTimeout() throws Exception {
        try (EdgeServer edge = EdgeTesting.start(config().clientHeaderTimeout(Duration.ofSeconds(1)).clientIdleTimeout(Duration.ofSeconds(1))
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)));
             Socket slow = open(edge, "127.0.0.1"); Socket idle = open(edge, "127.0.0.1")) {
            try (Socket gone = open(edge, "127.0.0.1")) {
                gone.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)); // and leaves: not a timeout
            }
            long start = System.nanoTime();
            slow.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.test\r\n".getBytes(StandardCharsets.US_ASCII));
            String kept = sendAndReadToClose(idle, "GET /first HTTP/1.1\r\nHost: shop.test\r\n\r\n");
            assertThat(kept).startsWith("HTTP/1.1 200").endsWith("a"); // answered, then closed when idle for 1 s
            String cut = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(cut).startsWith("HTTP/1.1 408 Request Timeout").contains("\"status\":408", "Connection: close");
            assertThat((System.nanoTime() - start) / 1_000_000).isBetween(900L, 3_000L);
            assertThat(edge.metrics()).contains("headroom_edge_client_connections_closed_total{reason=\"header-timeout\"} 1",
                    "headroom_edge_client_connections_closed_total{reason=\"idle\"} 1");
        }
    }

    @Test
    void pastTheLimitsInTotalAndPerAddressClientsRead503AndTheAdmittedAreServed() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (EdgeServer edge = EdgeTesting.start(config().maxClientConnections(3).maxClientConnectionsPerAddress(2)
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)))) {
            held.add(open(edge, "127.0.0.2"));
            held.add(open(edge, "127.0.0.2"));
            String refusedByAddress;
            try (Socket s = open(edge, "127.0.0.2")) {
                refusedByAddress = sendAndReadToClose(s, "GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n");
            }
            held.add(open(edge, "127.0.0.3"));
            String refusedInTotal;
            try (Socket s = open(edge, "127.0.0.4")) {
                refusedInTotal = sendAndReadToClose(s, "GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n");
            }
            assertThat(refusedByAddress).startsWith("HTTP/1.1 503 Service Unavailable").contains("Retry-After: 1", "Connection: close",
                    "application/problem+json", "this client address has as many connections open as the server allows");
            assertThat(refusedInTotal).startsWith("HTTP/1.1 503").contains("the server has as many connections open as it allows");
            assertThat(sendAndReadToClose(held.get(2), "GET / HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            assertThat(edge.metrics()).contains("headroom_edge_client_connections_closed_total{reason=\"limit-total\"} 1",
                    "headroom_edge_client_connections_closed_total{reason=\"limit-address\"} 1");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
