package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.raw;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which cluster a request goes to, and the edge's own refusals: 404 without a route, 413, 503 without a backend. */
class RoutingTest {
    private static final int LIMIT = 1024;
    private static Vertx vertx;
    private static TestBackend shop;
    private static TestBackend api;
    private static TestBackend lonely;
    private static EdgeServer edge;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        shop = TestBackend.start(vertx, "shop-1");
        api = TestBackend.start(vertx, "api-1");
        lonely = TestBackend.start(vertx, "lonely-1");
        edge = EdgeTesting.start(config().maxBodyBytes(LIMIT)
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, shop))
                .cluster(cluster("api", Algorithm.ROUND_ROBIN, api))
                .cluster(cluster("lonely", Algorithm.ROUND_ROBIN, lonely))
                .route(new Route("api.example.com", "/", "api"))
                .route(new Route("lonely.example.com", "/", "lonely"))
                .route(new Route(null, "/api/", "api"))
                .route(new Route(null, "/api/admin", "shop")) // never matches: the route above takes its requests
                .route(new Route("shop.example.com", "/", "shop")));
    }

    @AfterAll
    static void stop() {
        edge.close();
        vertx.close();
    }

    private static EdgeTesting.RawResponse get(String host, String path) {
        return raw(edge.port(), "GET " + path + " HTTP/1.1\r\nHost: " + host);
    }

    @Test
    void theHostChoosesTheCluster() {
        assertThat(get("api.example.com", "/anything").text()).isEqualTo("api-1");
        assertThat(get("shop.example.com", "/cart").text()).isEqualTo("shop-1");
    }

    @Test
    void hostsMatchWithoutCaseAndPort() {
        assertThat(get("API.Example.COM:8080", "/anything").text()).isEqualTo("api-1");
    }

    @Test
    void aPathPrefixRouteForAnyHost() {
        assertThat(get("shop.example.com", "/api/orders").text()).isEqualTo("api-1");
        assertThat(get("shop.example.com", "/apinotaprefix").text()).isEqualTo("shop-1");
    }

    @Test
    void theFirstMatchingRouteWins() {
        assertThat(get("shop.example.com", "/api/admin/users").text()).isEqualTo("api-1");
    }

    @Test
    void noRouteIsA404Problem() {
        int before = shop.served() + api.served();
        EdgeTesting.RawResponse r = get("elsewhere.example.com", "/cart");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("content-type")).isEqualTo("application/problem+json");
        JsonObject problem = new JsonObject(r.text());
        assertThat(problem.getInteger("status")).isEqualTo(404);
        assertThat(problem.getString("detail")).contains("elsewhere.example.com").contains("/cart");
        assertThat(problem.getString("request_id")).matches("[0-9a-f]{32}").isEqualTo(r.header("x-request-id"));
        assertThat(shop.served() + api.served()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitWithContentLengthIs413() {
        int before = shop.served();
        EdgeTesting.RawResponse r = raw(edge.port(), "POST /orders HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: " + (LIMIT + 1),
                "x".repeat(LIMIT + 1).getBytes(StandardCharsets.US_ASCII));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("content-type")).isEqualTo("application/problem+json");
        assertThat(shop.served()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        int before = shop.served();
        String chunk = "y".repeat(600);
        String body = Integer.toHexString(600) + "\r\n" + chunk + "\r\n" + Integer.toHexString(600) + "\r\n" + chunk + "\r\n0\r\n\r\n";
        EdgeTesting.RawResponse r = raw(edge.port(), "POST /orders HTTP/1.1\r\nHost: shop.example.com\r\nTransfer-Encoding: chunked",
                body.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("content-type")).isEqualTo("application/problem+json");
        assertThat(shop.served()).isEqualTo(before);
    }

    @Test
    void aBodyOfExactlyTheLimitPasses() {
        String body = "z".repeat(LIMIT);
        EdgeTesting.RawResponse r = raw(edge.port(), "POST /orders HTTP/1.1\r\nHost: shop.example.com\r\nContent-Length: " + LIMIT,
                body.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.status()).isEqualTo(200);
        assertThat(shop.last().body()).isEqualTo(body);
    }

    @Test
    void aClusterWithoutBackendsAnswers503() {
        assertThat(get("lonely.example.com", "/").text()).isEqualTo("lonely-1");
        assertThat(edge.remove("lonely", "lonely-1")).isTrue();
        EdgeTesting.RawResponse r = get("lonely.example.com", "/");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.header("content-type")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(r.text()).getString("detail")).contains("lonely");
        assertThat(r.header("x-request-id")).matches("[0-9a-f]{32}");
        assertThat(lonely.served()).isEqualTo(1);
        assertThat(edge.metrics()).contains("headroom_edge_no_backend_total 1\n");
    }
}
