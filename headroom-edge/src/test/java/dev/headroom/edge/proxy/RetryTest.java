package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.dead;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static dev.headroom.edge.proxy.EdgeTesting.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which failures are tried again on another backend: no connection always; a dropped connection or a 502/503/504
 * only for idempotent requests; a timeout never. Round robin over two backends, so consecutive requests alternate.
 */
class RetryTest {
    private static Vertx vertx;
    private TestBackend good;
    private TestBackend other;
    private EdgeServer edge;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @BeforeEach
    void startBackends() {
        good = TestBackend.start(vertx, "good");
        other = TestBackend.start(vertx, "other");
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
        good.close();
        other.close();
    }

    private void startEdge(EdgeConfig.Builder config, List<Backend> backends) {
        edge = EdgeTesting.start(config.cluster(cluster("shop", Algorithm.ROUND_ROBIN, backends)));
    }

    @Test
    void getsSucceedWhenOneBackendRefusesConnections() {
        startEdge(config(), List.of(dead("down"), good.backend()));
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = get(edge, "/products/" + i);
            assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
            assertThat(r.body()).isEqualTo("good");
        }
        assertThat(good.served()).isEqualTo(20);
        assertThat(edge.requests("shop").get("down")).as("five refusals in a row eject it").isEqualTo(5);
        assertThat(edge.states("shop")).containsExactly("down=ejected", "good=healthy");
        assertThat(edge.metrics()).doesNotContain("headroom_edge_retries_total 0\n");
    }

    @Test
    void aPostIsRetriedWhenItsConnectionWasRefused() {
        startEdge(config(), List.of(dead("down"), good.backend()));
        for (int i = 0; i < 4; i++) {
            assertThat(post(edge, "/orders", "order " + i).statusCode()).isEqualTo(200);
        }
        assertThat(good.received).extracting(TestBackend.Received::body).containsExactly("order 0", "order 1", "order 2", "order 3");
    }

    @Test
    void aPostWithoutIdempotencyKeyIsNotRetriedAfterTheBackendDroppedIt() {
        other.dropConnections = true;
        startEdge(config(), List.of(other.backend(), good.backend()));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            statuses.add(post(edge, "/orders", "order " + i).statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 502);
        assertThat(other.served("POST")).as("the dropping backend got one").isEqualTo(1);
        HttpResponse<String> dropped = post(edge, "/orders", "order 2", "X-Request-Id", "dropped-order");
        if (dropped.statusCode() == 200) { // round robin's turn was good's: the next is other's
            dropped = post(edge, "/orders", "order 3", "X-Request-Id", "dropped-order");
        }
        assertThat(dropped.statusCode()).isEqualTo(502);
        assertThat(dropped.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(new JsonObject(dropped.body()).getString("request_id")).isEqualTo("dropped-order");
        assertThat(good.received).extracting(r -> r.headers().get("x-request-id")).doesNotContain("dropped-order");
        assertThat(good.served("POST")).as("and the other only its own, not the dropped one again").isEqualTo(1);
    }

    @Test
    void aPostWithIdempotencyKeyIsRetriedOnTheOtherBackend() {
        other.dropConnections = true;
        startEdge(config(), List.of(other.backend(), good.backend()));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = post(edge, "/orders", "order " + i, "Idempotency-Key", "key-" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("good");
        }
        assertThat(other.served("POST")).as("round robin sends the first try of one of them to the dropping one").isPositive();
        assertThat(good.received).extracting(TestBackend.Received::body).as("each succeeded exactly once")
                .containsExactlyInAnyOrder("order 0", "order 1");
        assertThat(good.received).extracting(r -> r.headers().get("idempotency-key")).containsExactlyInAnyOrder("key-0", "key-1");
    }

    @Test
    void aRetryCarriesTheSameRequestId() {
        other.dropConnections = true;
        startEdge(config(), List.of(other.backend(), good.backend()));
        for (int i = 0; i < 2; i++) {
            post(edge, "/orders", "order " + i, "Idempotency-Key", "key-" + i, "X-Request-Id", "order-" + i);
        }
        TestBackend.Received first = other.received.getFirst();
        assertThat(good.received).filteredOn(r -> r.body().equals(first.body())).singleElement()
                .extracting(r -> r.headers().get("x-request-id")).isEqualTo(first.headers().get("x-request-id"));
    }

    @Test
    void whenEveryTryGets503TheLastAnswerIsPassedOn() {
        other.status.set(503);
        good.status.set(503);
        startEdge(config(), List.of(other.backend(), good.backend()));
        HttpResponse<String> r = get(edge, "/products");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).as("the backend's own answer").isIn("good", "other");
        assertThat(other.served() + good.served()).as("attempts, the default 3").isEqualTo(EdgeConfig.DEFAULT_ATTEMPTS);
    }

    @Test
    void a503ToAGetIsRetriedElsewhere() {
        other.status.set(503);
        startEdge(config(), List.of(other.backend(), good.backend()));
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = get(edge, "/products");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("good");
        }
        assertThat(other.served()).isPositive();
        assertThat(good.served()).isEqualTo(4);
    }

    @Test
    void a503ToAPostWithoutKeyIsPassedOn() {
        other.status.set(503);
        startEdge(config(), List.of(other.backend(), good.backend()));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            statuses.add(post(edge, "/orders", "order " + i).statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 503);
        assertThat(good.served("POST")).isEqualTo(1);
    }

    @Test
    void oneAttemptMeansNoRetry() {
        startEdge(config().attempts(1), List.of(dead("down"), good.backend()));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            statuses.add(get(edge, "/products").statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 502);
        assertThat(edge.metrics()).contains("headroom_edge_retries_total 0\n");
    }

    @Test
    void aBackendSilentPastTheUpstreamTimeoutGives504() {
        startEdge(config().upstreamTimeout(Duration.ofMillis(300)), List.of(good.backend()));
        HttpResponse<String> r = get(edge, "/slow?ms=2000");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("300 ms");
        assertThat(good.served()).as("a timeout is not tried again").isEqualTo(1);
    }
}
