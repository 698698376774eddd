package dev.headroom.experiments.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The journey's own arithmetic: Prometheus parsing, the sample rule for percentiles, the bottleneck's name. */
class MeasurementsTest {
    private static final String METRICS = """
            # HELP http_server_requests_seconds request latency
            http_server_requests_seconds_count{method="GET",route="/products/:id",status="200"} 120.0
            http_server_requests_seconds_count{method="GET",route="/metrics",status="200"} 7.0
            http_server_requests_seconds_count{method="GET",route="/health/ready",status="200"} 3.0
            http_server_requests_seconds_count{method="POST",route="/orders",status="201"} 30.0
            shop_db_connection_acquire_seconds_count 40.0
            shop_db_connection_acquire_seconds_sum 0.25
            headroom_cache_requests_total{cache="shop-products",result="l1_hit"} 90.0
            headroom_cache_requests_total{cache="shop-products",result="l1_miss"} 10.0
            headroom_cache_requests_total{cache="shop-products",result="l2_hit"} 6.0
            headroom_cache_requests_total{cache="shop-orders",result="l1_miss"} 20.0
            """;

    @Test
    void nodeMetricsCountApiRequestsAndCacheHitsPerCache() {
        NodeMetrics m = NodeMetrics.parse(METRICS);
        assertThat(m.requests()).isEqualTo(150);
        assertThat(m.connectionWaitSeconds()).isEqualTo(0.25);
        assertThat(m.hitRatios()).containsOnlyKeys("shop-orders", "shop-products");
        assertThat(m.hitRatios().get("shop-products")).isCloseTo(0.96, within(1e-9));
        assertThat(m.hitRatios().get("shop-orders")).isZero();
        assertThat(m.hitRatio()).isCloseTo(96.0 / 120, within(1e-9));

        NodeMetrics window = NodeMetrics.parse(METRICS).plus(m, 1).minus(m);
        assertThat(window.requests()).isEqualTo(150);
        assertThat(window.hitRatios()).isEqualTo(m.hitRatios());
        assertThat(NodeMetrics.parse("").hitRatio()).isNull();
    }

    @Test
    void aPercentileNeedsTenSamplesAboveIt() {
        assertThat(Percentiles.samplesFor(50)).isEqualTo(20);
        assertThat(Percentiles.samplesFor(99)).isEqualTo(1_000);
        assertThat(Percentiles.samplesFor(99.9)).isEqualTo(10_000);
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 999; i++) {
            h.recordValue(i * 1000L);
        }
        assertThat(Percentiles.at(h, 99)).isNull();
        assertThat(Percentiles.at(h, 50)).isCloseTo(500, within(1.0));
        h.recordValue(1_000_000);
        assertThat(Percentiles.at(h, 99)).isNotNull();
        assertThat(Percentiles.at(h, 99.9)).isNull();
    }

    @Test
    void theBottleneckIsTheLargestServerSidePartOrTheRoundTrip() {
        List<StepResult.Statement> top = List.of(new StepResult.Statement("SELECT *\n  FROM order_items WHERE order_id = $1", 10, 900, 0.9));
        assertThat(Bottleneck.of(80.0, 5, 2, 100, top).kind()).isEqualTo("sql");
        assertThat(Bottleneck.of(80.0, 5, 2, 100, top).text()).isEqualTo("SQL: 80.0 ms per request; 90 % in SELECT * FROM order_items WHERE order_id = $1");
        assertThat(Bottleneck.of(1.0, 6, 2, 10, List.of()).kind()).isEqualTo("connections");
        assertThat(Bottleneck.of(0.1, 0.2, 0.5, 1.2, List.of()).kind()).isEqualTo("shop-cpu");
        assertThat(Bottleneck.of(0.05, 0.01, 0.1, 1.0, List.of()).kind()).isEqualTo("http");
        assertThat(Bottleneck.of(null, 0.01, 0.1, 1.0, List.of()).kind()).isEqualTo("http");
        assertThat(Bottleneck.shorten("x".repeat(200))).hasSize(90).endsWith("...");
    }

    @Test
    void claimsCompareTheSameKindsAtTheSameRate() {
        StepResult baseline = step("baseline", Map.of("search", 300.0, "order", 600.0, "browse", 20.0), 10, 5.0, 4.0, null);
        StepResult indexes = step("indexes", Map.of("search", 10.0, "order", 200.0, "browse", 5.0), 50, 1.0, 4.0, null);
        StepResult l2 = step("l2", Map.of("search", 4.0, "order", 2.0, "browse", 0.5), 1000, 0.05, 0.5, 0.97);
        assertThat(Claims.slowKinds(List.of(baseline))).containsExactly("order", "search");
        List<JourneyResult.Claim> claims = Claims.of(List.of(baseline, indexes, l2));
        JourneyResult.Claim indexClaim = claims.stream().filter(c -> c.claim().startsWith("database indexes")).findFirst().orElseThrow();
        assertThat(indexClaim.measured()).isEqualTo("p50 on the slow kinds: order 3.00x, search 30.0x");
        assertThat(indexClaim.ratio()).isEqualTo(30.0);
        JourneyResult.Claim goal = claims.stream().filter(c -> c.claim().startsWith("Headroom's goal")).findFirst().orElseThrow();
        assertThat(goal.holds()).as("search is 75x, order 300x").isTrue();
        assertThat(claims).filteredOn(c -> c.claim().startsWith("10x overall")).singleElement()
                .satisfies(c -> assertThat(c.ratio()).isEqualTo(100.0));
        assertThat(claims).filteredOn(c -> c.claim().startsWith("reduce database load")).singleElement()
                .satisfies(c -> assertThat(c.ratio()).isCloseTo(0.99, within(1e-9)));
        assertThat(claims).filteredOn(c -> c.claim().startsWith("cache hit ratio")).singleElement()
                .satisfies(c -> assertThat(c.holds()).isTrue());
    }

    private static StepResult step(String name, Map<String, Double> p50, double throughput, double dbMs, double statements, Double hits) {
        Map<String, StepResult.Kind> kinds = new java.util.TreeMap<>();
        p50.forEach((k, v) -> kinds.put(k, new StepResult.Kind(100, v, null, null)));
        return new StepResult(name, "", name, "", true, List.of(), 1000, 10.0, 20.0, null, null, 50, 10, 0, throughput, throughput,
                statements, dbMs, 0, 50, 50, hits, Map.of(), null, "", "sql", List.of(), kinds, List.of(), List.of(), Map.of());
    }
}
