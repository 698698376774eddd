package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The edge's bounds: header size, connections and waiting requests per backend, ports it cannot have. */
class LimitsTest {
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

    @Test
    void severalEventLoopsShareAGivenPort() {
        int port = EdgeTesting.deadPort();
        try (EdgeServer edge = EdgeTesting.start(config().port(port).eventLoops(2).cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)))) {
            assertThat(edge.port()).isEqualTo(port);
            assertEveryConnectionIsServed(edge);
        }
    }

    /**
     * Port 0 with several event loops: one free port, shared by every listener (without SO_REUSEPORT, which Vert.x
     * sets only with a native transport).
     */
    @Test
    void severalEventLoopsShareAnyFreePort() {
        try (EdgeServer edge = EdgeTesting.start(config().port(0).eventLoops(2).cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)))) {
            assertEveryConnectionIsServed(edge);
        }
    }

    private static void assertEveryConnectionIsServed(EdgeServer edge) {
        for (int i = 0; i < 6; i++) {
            // a connection per request, so that both listeners get some
            EdgeTesting.RawResponse r = EdgeTesting.raw(edge.port(), "GET /loop/" + i + " HTTP/1.1\r\nHost: shop.test\r\nConnection: close");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("a");
        }
    }

    @Test
    void headersOverTheLimitAre431() {
        try (EdgeServer edge = EdgeTesting.start(config().maxHeaderBytes(2048).cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)))) {
            int before = backend.served();
            EdgeTesting.RawResponse r = EdgeTesting.raw(edge.port(), "GET / HTTP/1.1\r\nHost: shop.test\r\nX-Big: " + "b".repeat(3000));
            assertThat(r.status()).isEqualTo(431);
            assertThat(backend.served()).isEqualTo(before);
            assertThat(get(edge, "/", "X-Small", "s".repeat(500)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aBackendWithEveryConnectionBusyAnswers503AtOnce() throws Exception {
        try (EdgeServer edge = EdgeTesting.start(config().maxConnections(1).maxPending(0)
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)))) {
            CompletableFuture<HttpResponse<String>> slow = EdgeTesting.CLIENT.sendAsync(
                    EdgeTesting.request(edge.url() + "/slow?ms=1500").build(), HttpResponse.BodyHandlers.ofString());
            EdgeTesting.await("the slow request at the backend", () -> backend.received.stream().anyMatch(r -> r.uri().startsWith("/slow")));
            HttpResponse<String> busy = get(edge, "/");
            assertThat(busy.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(busy.body()).getString("title")).isEqualTo("Backend busy");
            assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(get(edge, "/").statusCode()).as("the connection is free again").isEqualTo(200);
            assertThat(edge.states("shop")).as("being busy is not the backend's failure").containsExactly("a=healthy");
        }
    }

    @Test
    void anAdminPortInUseIsRefusedWithThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EdgeTesting.start(config().adminPort(taken.getLocalPort())
                    .cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("admin port " + taken.getLocalPort());
        }
    }

    @Test
    void aPortInUseIsRefusedWithThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> EdgeTesting.start(config().port(taken.getLocalPort())
                    .cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("port " + taken.getLocalPort());
        }
    }
}
