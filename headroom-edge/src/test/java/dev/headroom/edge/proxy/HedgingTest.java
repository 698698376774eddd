package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.await;
import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static dev.headroom.edge.proxy.EdgeTesting.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hedged GETs over a slow and a fast backend (round robin, so every other first try is slow), the hedge after a
 * fixed 30 ms: the fast answer wins, the slow try's connection is closed and its count in flight returns to 0; the
 * budget caps hedges; POSTs are never hedged.
 */
class HedgingTest {
    private FlakyBackend slow;
    private FlakyBackend fast;
    private EdgeServer edge;

    @BeforeEach
    void startBackends() {
        slow = FlakyBackend.start("slow");
        fast = FlakyBackend.start("fast");
    }

    @AfterEach
    void stop() {
        if (edge != null) {
            edge.close();
        }
        slow.close();
        fast.close();
    }

    private void startEdge(double maxExtra) {
        edge = EdgeTesting.start(config().hedging(0.97, maxExtra).hedgingDelay(Duration.ofMillis(30), Duration.ofMillis(30))
                .cluster(cluster("shop", Algorithm.ROUND_ROBIN, List.of(slow.backend(), fast.backend()))));
    }

    @Test
    void theHedgeWinsAndTheSlowTryIsCancelled() {
        slow.delayMillis.set(5_000);
        startEdge(1.0);
        for (int i = 0; i < 6; i++) {
            assertThat(get(edge, "/items/" + i).body()).as("request %d", i).isEqualTo("fast");
        }
        int slowTries = slow.requests.get();
        assertThat(slowTries).isPositive();
        assertThat(hedges("sent")).isEqualTo(slowTries);
        assertThat(hedges("won")).isEqualTo(slowTries);
        await("the slow backend sees its connections closed", () -> slow.closedBeforeAnswer.get() == slowTries);
        await("no try of the slow backend in flight",
                () -> edge.metrics().contains("headroom_edge_in_flight{cluster=\"shop\",backend=\"slow\"} 0\n"));
    }

    @Test
    void theBudgetCapsHedges() {
        slow.delayMillis.set(150);
        startEdge(0.2);
        for (int i = 0; i < 10; i++) {
            get(edge, "/items/" + i);
        }
        assertThat(hedges("sent")).as("20 % of 10 requests").isLessThanOrEqualTo(2);
        assertThat(hedges("denied")).isPositive();
        // round robin sends at least 4 of the 10 first tries to the slow one, and each of them asks for a hedge
        assertThat(hedges("sent") + hedges("denied")).as("hedges asked for").isGreaterThanOrEqualTo(4);
    }

    @Test
    void aPostIsNeverHedged() {
        slow.delayMillis.set(150);
        startEdge(1.0);
        for (int i = 0; i < 4; i++) {
            post(edge, "/orders", "order " + i);
        }
        assertThat(slow.requests.get()).isEqualTo(2);
        assertThat(fast.requests.get()).isEqualTo(2);
        assertThat(hedges("sent") + hedges("denied")).isZero();
    }

    private long hedges(String outcome) {
        Matcher m = Pattern.compile("headroom_edge_hedges_total\\{cluster=\"shop\",outcome=\"" + outcome + "\"} (\\d+)").matcher(edge.metrics());
        assertThat(m.find()).as("the metric for %s", outcome).isTrue();
        return Long.parseLong(m.group(1));
    }
}
