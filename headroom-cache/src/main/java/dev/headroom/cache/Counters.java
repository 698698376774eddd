package dev.headroom.cache;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every count one cache keeps, in one place, and the {@link CacheStats} built from them. Counts are
 * {@link LongAdder}s: many threads add, {@link TieredCache#stats()} (and Micrometer, when scraping)
 * sums. L1 hits are not here: Caffeine counts them, and only with {@code recordStats()}. Thread-safe.
 */
final class Counters {
    final LongAdder l1Misses = new LongAdder();
    final LongAdder l2Hits = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder l2Errors = new LongAdder();
    final LongAdder leaseWaits = new LongAdder();
    final LongAdder leasesLost = new LongAdder();
    final LongAdder leaseTakeovers = new LongAdder();
    final LongAdder loadsQueued = new LongAdder();
    final LongAdder earlyRefreshes = new LongAdder();
    final LongAdder staleServes = new LongAdder();
    // kept by the invalidation bus
    final LongAdder invalidationsSent = new LongAdder();
    final LongAdder invalidationsReceived = new LongAdder();
    final LongAdder invalidationGaps = new LongAdder();
    final LongAdder l1Flushes = new LongAdder();
    final AtomicLong invalidationLagMaxMs = new AtomicLong();

    /**
     * @param l1Hits    Caffeine's count, -1 when not counted
     * @param l2Breaker the breaker's state now
     */
    CacheStats stats(long l1Hits, CacheStats.BreakerState l2Breaker) {
        return CacheStats.builder()
                .l1Hits(l1Hits)
                .l1Misses(l1Misses.sum())
                .l2Hits(l2Hits.sum())
                .loads(loads.sum())
                .coalesced(coalesced.sum())
                .l2Errors(l2Errors.sum())
                .invalidationsSent(invalidationsSent.sum())
                .invalidationsReceived(invalidationsReceived.sum())
                .invalidationGaps(invalidationGaps.sum())
                .l1Flushes(l1Flushes.sum())
                .invalidationLagMaxMs(invalidationLagMaxMs.get())
                .leaseWaits(leaseWaits.sum())
                .leasesLost(leasesLost.sum())
                .leaseTakeovers(leaseTakeovers.sum())
                .loadsQueued(loadsQueued.sum())
                .earlyRefreshes(earlyRefreshes.sum())
                .staleServes(staleServes.sum())
                .l2Breaker(l2Breaker)
                .build();
    }
}
