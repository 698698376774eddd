package dev.headroom.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link TieredCache}'s {@link CacheStats} as Micrometer meters, tagged {@code cache=NAME}.
 * The meters read the cache's counters when scraped, so nothing is added to the read path.
 *
 * <pre>{@code CacheMetrics.bind(products, registry);}</pre>
 *
 * Meters: {@code headroom_cache_requests_total{result=l1_hit|l1_miss|l2_hit}} (l1_hit only with
 * {@code recordStats()}), {@code headroom_cache_loads_total}, {@code headroom_cache_coalesced_total},
 * {@code headroom_cache_l2_errors_total}, {@code headroom_cache_invalidations_total{direction=sent|received}},
 * {@code headroom_cache_invalidation_gaps_total}, {@code headroom_cache_l1_flushes_total},
 * {@code headroom_cache_lease_waits_total}, {@code headroom_cache_leases_lost_total}, gauges
 * {@code headroom_cache_invalidation_lag_max_ms} and {@code headroom_cache_l2_breaker_open} (1 when open) and
 * {@code headroom_cache_l2_breaker_state} (0 closed, 1 open, 2 half-open, -1 without L2).
 *
 * <p>The only class of the library that uses Micrometer, which headroom-cache declares {@code optional}:
 * an application that never calls {@link #bind} needs no Micrometer on its class path, and the cache's
 * other classes never load it.
 */
public final class CacheMetrics {
    private CacheMetrics() {
    }

    public static void bind(TieredCache<?, ?> cache, MeterRegistry registry) {
        Tags tags = Tags.of("cache", cache.name());
        counter(registry, "headroom.cache.requests", tags.and("result", "l1_miss"), cache, s -> s.l1Misses());
        counter(registry, "headroom.cache.requests", tags.and("result", "l2_hit"), cache, s -> s.l2Hits());
        counter(registry, "headroom.cache.requests", tags.and("result", "l1_hit"), cache, s -> Math.max(0, s.l1Hits()));
        counter(registry, "headroom.cache.loads", tags, cache, s -> s.loads());
        counter(registry, "headroom.cache.coalesced", tags, cache, s -> s.coalesced());
        counter(registry, "headroom.cache.l2.errors", tags, cache, s -> s.l2Errors());
        counter(registry, "headroom.cache.invalidations", tags.and("direction", "sent"), cache, s -> s.invalidationsSent());
        counter(registry, "headroom.cache.invalidations", tags.and("direction", "received"), cache, s -> s.invalidationsReceived());
        counter(registry, "headroom.cache.invalidation.gaps", tags, cache, s -> s.invalidationGaps());
        counter(registry, "headroom.cache.l1.flushes", tags, cache, s -> s.l1Flushes());
        counter(registry, "headroom.cache.lease.waits", tags, cache, s -> s.leaseWaits());
        counter(registry, "headroom.cache.leases.lost", tags, cache, s -> s.leasesLost());
        counter(registry, "headroom.cache.leases.takeovers", tags, cache, s -> s.leaseTakeovers());
        Gauge.builder("headroom.cache.invalidation.lag.max.ms", cache, c -> c.stats().invalidationLagMaxMs()).tags(tags).register(registry);
        Gauge.builder("headroom.cache.l2.breaker.open", cache, c -> c.stats().l2Breaker() == CacheStats.BreakerState.OPEN ? 1 : 0).tags(tags).register(registry);
        Gauge.builder("headroom.cache.l2.breaker.state", cache, c -> breakerGauge(c.stats().l2Breaker())).tags(tags)
                .description("The L2 circuit breaker: 0 closed, 1 open, 2 half-open; -1 without L2").register(registry);
    }

    /** 0 closed, 1 open, 2 half-open (a breaker gauge's usual numbering); -1 without L2. */
    private static int breakerGauge(CacheStats.BreakerState state) {
        return switch (state) {
            case OFF -> -1;
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        };
    }

    private static void counter(MeterRegistry registry, String name, Tags tags, TieredCache<?, ?> cache,
                                ToDoubleFunction<CacheStats> read) {
        FunctionCounter.builder(name, cache, c -> read.applyAsDouble(c.stats())).tags(tags).register(registry);
    }
}
