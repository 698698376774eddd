package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edge sends Headroom-Deadline-Ms on: its own request timeout, or the client's value when earlier; a malformed one is a 400. */
class DeadlineHeaderTest {

    @Test
    void theEarlierOfTheEdgesAndTheClientsDeadlineIsForwarded() {
        try (FlakyBackend backend = FlakyBackend.start("b");
             EdgeServer edge = EdgeTesting.start(config().requestTimeout(Duration.ofSeconds(5))
                     .cluster(cluster("shop", Algorithm.ROUND_ROBIN, List.of(backend.backend()))))) {
            get(edge, "/");
            get(edge, "/", "Headroom-Deadline-Ms", "1200");
            get(edge, "/", "Headroom-Deadline-Ms", "99999");
            List<Long> sent = backend.deadlines.stream().map(Long::parseLong).toList();
            assertThat(sent.get(0)).as("the edge's own 5 s").isBetween(4_000L, 5_000L);
            assertThat(sent.get(1)).as("the client's 1.2 s").isBetween(1_000L, 1_200L);
            assertThat(sent.get(2)).as("the edge's, earlier than the client's 100 s").isBetween(4_000L, 5_000L);

            HttpResponse<String> bad = get(edge, "/", "Headroom-Deadline-Ms", "soon");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("content-type")).hasValue(Problem.CONTENT_TYPE);
            assertThat(bad.body()).contains("\"title\":\"Bad deadline\"")
                    .contains("Headroom-Deadline-Ms must be the milliseconds left, a whole number from 0 to 86400000, was 'soon'");
            HttpResponse<String> passed = get(edge, "/", "Headroom-Deadline-Ms", "0");
            assertThat(passed.statusCode()).isEqualTo(504);
            assertThat(backend.requests.get()).as("neither sent on").isEqualTo(3);
        }
    }
}
