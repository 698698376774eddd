package dev.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheMetricsTest {
    @Test
    void theMetersReadTheCachesCounters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (TieredCache<Long, String> cache = TieredCache.<Long, String>builder("metrics-" + System.nanoTime(), Codec.utf8())
                .l1(10, Duration.ofMinutes(1)).recordStats().build()) {
            CacheMetrics.bind(cache, registry);
            cache.get(1L, k -> "a");
            cache.get(1L, k -> "a");
            cache.get(2L, k -> null);
            assertThat(registry.get("headroom.cache.requests").tag("result", "l1_hit").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("headroom.cache.requests").tag("result", "l1_miss").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("headroom.cache.loads").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("headroom.cache.l2.breaker.open").gauge().value()).isZero();
            assertThat(registry.get("headroom.cache.l2.breaker.state").gauge().value()).as("no L2").isEqualTo(-1);
            assertThat(cache.l2BreakerCause()).isNull();
        }
    }
}
