package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.await;
import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A per-backend breaker opens on its failure rate, sheds at once while open (even the last backend, which outlier
 * detection keeps in panic), and lets the backend back through half-open probes.
 */
class CircuitBreakerTest {
    private static final String OPEN = "headroom_edge_circuit_breaker_state{cluster=\"shop\",backend=\"flaky\",state=\"open\"} 1";
    private static final String CLOSED = "headroom_edge_circuit_breaker_state{cluster=\"shop\",backend=\"flaky\",state=\"closed\"} 1";

    @Test
    void opensOnFailuresShedsAndHalfOpensBack() {
        try (FlakyBackend backend = FlakyBackend.start("flaky");
             EdgeServer edge = EdgeTesting.start(config().attempts(1).circuitBreaker(50, Duration.ofMillis(300))
                     .cluster(cluster("shop", Algorithm.ROUND_ROBIN, List.of(backend.backend()))))) {
            backend.failEvery.set(1);
            for (int i = 0; i < Resilience.BREAKER_WINDOW; i++) {
                assertThat(get(edge, "/").statusCode()).isEqualTo(503);
            }
            assertThat(edge.metrics()).contains(OPEN);
            HttpResponse<String> shed = get(edge, "/");
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.body()).contains("\"title\":\"Circuit open\"").contains("circuit breaker open");
            assertThat(backend.requests.get()).as("nothing sent while open").isEqualTo(Resilience.BREAKER_WINDOW);

            backend.failEvery.set(0);
            await("a half-open probe gets through", () -> get(edge, "/").statusCode() == 200);
            for (int i = 0; i < Resilience.BREAKER_PROBES; i++) {
                get(edge, "/");
            }
            assertThat(edge.metrics()).contains(CLOSED);
            assertThat(get(edge, "/").body()).isEqualTo("flaky");
        }
    }
}
