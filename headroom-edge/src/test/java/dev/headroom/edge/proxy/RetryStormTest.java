package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A retry storm: one backend failing every second request with 503, 100 GETs at once. With a 10 % budget the tries
 * that reach it stay within offered × 1.1 + the floor of 3; naive retries (3 attempts, no budget) send about 1.75×.
 */
class RetryStormTest {
    private static final int OFFERED = 100;
    private FlakyBackend backend;
    private EdgeServer edge;

    @BeforeEach
    void startBackend() {
        backend = FlakyBackend.start("flaky");
        backend.failEvery.set(2);
        // long enough for the 100 requests to be in flight together when the first failures come back: one wave, so
        // the floor of 3 counts once (in a steady stream it counts once per retry's duration)
        backend.delayMillis.set(200);
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
        backend.close();
    }

    private int storm(EdgeConfig.Builder config) {
        edge = EdgeTesting.start(config.retryBackoff(Duration.ofMillis(1), Duration.ofMillis(2))
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, List.of(backend.backend()))));
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < OFFERED; i++) {
            answers.add(EdgeTesting.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(edge.url() + "/items/" + i))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        answers.forEach(CompletableFuture::join);
        return backend.requests.get();
    }

    @Test
    void theBudgetHoldsTheUpstreamsLoadUnderARetryStorm() {
        int tries = storm(config().retryBudget(0.1, 3));
        assertThat(tries).as("tries that reached the backend for %d requests", OFFERED).isBetween(OFFERED, (int) (OFFERED * 1.1) + 3);
        assertThat(edge.metrics()).contains("headroom_edge_retry_budget_total{cluster=\"shop\",outcome=\"denied\"}")
                .doesNotContain("headroom_edge_retry_budget_total{cluster=\"shop\",outcome=\"denied\"} 0\n");
    }

    @Test
    void naiveRetriesMultiplyIt() {
        int tries = storm(config().noRetryBudget());
        // half fail, half of their retries fail, and so on up to 3 attempts: 100 + 50 + 25
        assertThat(tries).as("tries that reached the backend for %d requests", OFFERED).isGreaterThan((int) (OFFERED * 1.5));
        assertThat(edge.metrics()).doesNotContain("headroom_edge_retry_budget_total{");
    }
}
