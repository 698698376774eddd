package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.dashboard.ServiceFigures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's service panel from the shop's own meters, as the shop registers them: p99 per route (statuses
 * summed) and the cache hit ratio, each over the second since the previous reading, not since the start.
 */
class ShopFiguresTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void p99PerRouteAndHitRatioOverTheLastIntervalOnly() {
        long[] now = {0};
        ShopFigures figures = new ShopFigures(registry, () -> now[0]);
        for (int i = 0; i < 990; i++) {
            timer("GET", "/products/:id", 200).record(Duration.ofMillis(2));
        }
        for (int i = 0; i < 10; i++) {
            timer("GET", "/products/:id", 404).record(Duration.ofMillis(400));
        }
        counter("l1_hit").increment(90);
        counter("l1_miss").increment(10);
        counter("l2_hit").increment(5);

        ServiceFigures first = figures.get();
        // 990 of 1,000 at 2 ms: the 99th percentile's bucket holds 2 ms (the histogram's bucket bound, a little above)
        assertThat(first.p99MillisByRoute()).containsOnlyKeys("GET /products/:id");
        assertThat(first.p99MillisByRoute().get("GET /products/:id")).isBetween(2.0, 3.0);
        assertThat(first.cacheHitRatio()).isEqualTo(0.95); // (90 L1 + 5 L2) of 100 lookups

        for (int i = 0; i < 100; i++) {
            timer("GET", "/products/:id", 200).record(Duration.ofMillis(400));
        }
        counter("l1_miss").increment(50);
        now[0] += 500;
        assertThat(figures.get()).as("asked again within the interval: the same figures").isSameAs(first);
        now[0] += 500;
        ServiceFigures second = figures.get();
        assertThat(second.p99MillisByRoute().get("GET /products/:id")).as("only the last interval's 400 ms requests").isGreaterThanOrEqualTo(400.0);
        assertThat(second.cacheHitRatio()).as("50 misses, no hits since the last reading").isZero();

        now[0] += 1_000;
        ServiceFigures quiet = figures.get();
        assertThat(quiet.p99MillisByRoute()).as("no requests since: no figure").isEmpty();
        assertThat(quiet.cacheHitRatio()).isNaN();
    }

    private Timer timer(String method, String route, int status) {
        return Timer.builder("http.server.requests").tag("route", route).tag("method", method).tag("status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private Counter counter(String result) {
        return Counter.builder("headroom.cache.requests").tag("cache", "products").tag("result", result).register(registry);
    }
}
