package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.await;
import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster's adaptive concurrency limit through the proxy, against a real backend: what is over the limit is
 * answered 503 with Retry-After by the edge and never reaches the backend, and a critical path gets in while
 * sheddable requests hold their whole share.
 */
class ConcurrencyLimitTest {
    private static Vertx vertx;
    private static TestBackend backend;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        backend = TestBackend.start(vertx, "b1");
    }

    @AfterAll
    static void stop() {
        backend.close();
        vertx.close();
    }

    @Test
    void requestsOverTheLimitAreShedBeforeTheBackend() {
        backend.received.clear();
        try (EdgeServer edge = EdgeTesting.start(config().attempts(1).adaptiveConcurrency(4, 4, List.of(), List.of("/slow"))
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)))) {
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                sent.add(CompletableFuture.supplyAsync(() -> get(edge, "/slow?ms=600")));
            }
            List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();
            List<HttpResponse<String>> shed = answers.stream().filter(r -> r.statusCode() == 503).toList();
            long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
            assertThat(ok + shed.size()).as("every answer a 200 or a shed 503").isEqualTo(12);
            assertThat(ok).as("at least the sheddable share of the limit, 80 % of 4, rounded down").isGreaterThanOrEqualTo(3);
            assertThat(shed).isNotEmpty().allSatisfy(r -> {
                assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(r.body()).contains("\"title\":\"Over capacity\"").contains("concurrency limit");
            });
            assertThat(backend.received).as("a shed request never reached the backend").hasSize((int) ok);
            assertThat(edge.metrics()).contains("headroom_edge_admission_total{cluster=\"shop\",priority=\"sheddable\",outcome=\"admitted\"} " + ok)
                    .contains("headroom_edge_concurrency_limit{cluster=\"shop\",figure=\"limit\"} 4");
        }
    }

    @Test
    void aCriticalPathGetsInWhileSheddableOnesHoldTheirShare() {
        try (EdgeServer edge = EdgeTesting.start(config().attempts(1).adaptiveConcurrency(10, 10, List.of("/status"), List.of("/slow"))
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, backend)))) {
            List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                slow.add(CompletableFuture.supplyAsync(() -> get(edge, "/slow?ms=1500")));
            }
            await("the sheddable share (8 of 10) in flight",
                    () -> edge.metrics().contains("headroom_edge_concurrency_limit{cluster=\"shop\",figure=\"in_flight\"} 8"));
            assertThat(get(edge, "/status/200").statusCode()).isEqualTo(200);
            assertThat(slow).as("answered while the searches still ran").noneMatch(CompletableFuture::isDone);
            assertThat(slow.stream().map(CompletableFuture::join)).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
        }
    }
}
