package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static dev.headroom.edge.proxy.EdgeTesting.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.testkit.TestServers;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The edge's rate limits over real HTTP: the request past the limit gets 429 with Retry-After and the RateLimit headers. */
class RateLimitEdgeTest {
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

    private static EdgeConfig.Builder limited(String limit) {
        // per minute: no token comes back while the test runs, so the count is exact
        return config().cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)).rateLimit("client", RateLimit.parse(limit));
    }

    @Test
    void theRequestPastTheLimitIsRefusedWithRetryAfterAndTheHeaders() {
        try (EdgeServer edge = EdgeTesting.start(limited("3/min"))) {
            int before = backend.served();
            HttpResponse<String> first = get(edge, "/hello");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"client\";q=3;w=60");
            assertThat(first.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"client\";r=2;t="));
            assertThat(get(edge, "/hello").statusCode()).isEqualTo(200);
            assertThat(post(edge, "/echo", "a body").statusCode()).isEqualTo(200);
            HttpResponse<String> refused = post(edge, "/echo", "a body the backend never sees");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("content-type")).hasValue(Problem.CONTENT_TYPE);
            assertThat(refused.body()).contains("\"status\":429", "rate limit 'client' (3/min,key=address) reached; retry after");
            assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 20L));
            assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"client\";r=0;t="));
            assertThat(backend.served() - before).isEqualTo(3);
            assertThat(get(edge, "/hello").statusCode()).as("the connection serves on after a refusal").isEqualTo(429);
            assertThat(edge.metrics()).contains("headroom_edge_rate_limited_total{level=\"client\"} 2");
        }
    }

    /** Pipelined requests are decided one at a time, in order; a refused one with a body unread ends the connection. */
    @Test
    void pipelinedRequestsAreDecidedInOrder() throws IOException {
        try (EdgeServer edge = EdgeTesting.start(limited("2/min")); java.net.Socket socket = new java.net.Socket("127.0.0.1", edge.port())) {
            socket.setSoTimeout(10_000);
            String get = "GET /hello HTTP/1.1\r\nHost: shop.test\r\n\r\n";
            String post = "POST /echo HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 5\r\n\r\nhello";
            socket.getOutputStream().write((get + get + post + get).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answers = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            List<String> statuses = java.util.regex.Pattern.compile("HTTP/1.1 (\\d{3})").matcher(answers).results().map(m -> m.group(1)).toList();
            assertThat(statuses).containsExactly("200", "200", "429");
        }
    }

    @Test
    void aHeaderKeyGivesEachValueItsOwnBucket() {
        try (EdgeServer edge = EdgeTesting.start(limited("1/min,key=header:X-Api-Key"))) {
            assertThat(get(edge, "/hello", "X-Api-Key", "k1").statusCode()).isEqualTo(200);
            assertThat(get(edge, "/hello", "X-Api-Key", "k1").statusCode()).isEqualTo(429);
            assertThat(get(edge, "/hello", "X-Api-Key", "k2").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void twoEdgesSharingRedisShareOneLimit() {
        String redis = TestServers.redis().uri();
        String level = "global" + System.nanoTime(); // a fresh bucket each run: the shared Redis outlives this test
        EdgeConfig.Builder one = config().cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend))
                .rateLimit(level, RateLimit.parse("4/min,key=all")).rateLimitRedis(redis);
        EdgeConfig.Builder two = config().cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend))
                .rateLimit(level, RateLimit.parse("4/min,key=all")).rateLimitRedis(redis);
        try (EdgeServer a = EdgeTesting.start(one); EdgeServer b = EdgeTesting.start(two)) {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                statuses.add(get(a, "/hello").statusCode());
                statuses.add(get(b, "/hello").statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 200, 200, 429, 429, 429, 429);
            assertThat(b.metrics()).contains("headroom_edge_rate_limit_failures_total 0");
        }
    }

    @Test
    void aRedisWithoutALimitIsRefused() {
        assertThatThrownBy(() -> config().cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)).rateLimitRedis("redis://127.0.0.1:1").build())
                .hasMessage("a Redis for rate limits needs a rate limit (give --rate-limit RATE)");
    }

    @Test
    void theConfigFileNamesLevelsAndTheirRedis(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("edge.json"), "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}},"
                + " \"rate_limits\": {\"client\": \"100/s\", \"route\": \"1000/s,key=route\"}, \"rate_limit_redis\": \"redis://127.0.0.1:6379\"}");
        EdgeConfig c = ConfigFile.read(file).build();
        assertThat(c.rateLimits()).containsExactly(java.util.Map.entry("client", RateLimit.parse("100/s")),
                java.util.Map.entry("route", RateLimit.parse("1000/s,key=route")));
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}},"
                + " \"rate_limits\": {\"client\": \"100/day\"}}");
        assertThatThrownBy(() -> ConfigFile.read(bad)).hasMessageStartingWith("bad.json: rate_limits.client: a rate limit must be ")
                .hasMessageEndingWith("'100/day': the period must be s, min or h");
    }
}
