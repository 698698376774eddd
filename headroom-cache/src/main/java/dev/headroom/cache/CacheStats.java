package dev.headroom.cache;

/**
 * Counts since the cache was built: an immutable snapshot, taken by {@link TieredCache#stats()}, which
 * the library builds by name ({@link #builder()}), never by position.
 *
 * @param l1Hits    reads answered by L1; -1 unless the cache was built with {@code recordStats()}
 * @param l1Misses  reads L1 could not answer (or all reads, when L1 is off)
 * @param l2Hits    misses answered by L2
 * @param loads     calls of a loader (the database, typically)
 * @param coalesced misses that waited for a load already running in this instance instead of starting one
 * @param l2Errors  L2 commands that failed or timed out; the read went on without L2
 * @param invalidationsSent     invalidations this instance published to the others
 * @param invalidationsReceived invalidations received from other instances
 * @param invalidationGaps      lost invalidations detected (a publisher's sequence jumped)
 * @param l1Flushes             whole-L1 flushes: after a gap, a dropped subscription, or an invalidate-all
 * @param invalidationLagMaxMs  longest time from an invalidation's publish to its receipt here
 * @param leaseWaits            L2 misses that waited for another instance's load instead of loading
 * @param leasesLost            loads whose write-back was refused: a write voided their lease meanwhile
 * @param leaseTakeovers        lease waits that ended by taking the lease over: the holder's had ended with no value
 *                              (a write voided it, or the holder died), so this instance loaded instead
 * @param loadsQueued           loads that waited for a permit ({@code maxConcurrentLoads})
 * @param earlyRefreshes        reads that refreshed an L2 entry ahead of its expiry ({@code refreshAhead})
 * @param staleServes           reads answered with an expired value while another instance reloaded it ({@code serveStale})
 * @param l2Breaker             the L2 circuit breaker's state ({@link BreakerState#OFF} without L2)
 */
public record CacheStats(long l1Hits, long l1Misses, long l2Hits, long loads, long coalesced, long l2Errors,
                         long invalidationsSent, long invalidationsReceived, long invalidationGaps, long l1Flushes,
                         long invalidationLagMaxMs, long leaseWaits, long leasesLost, long leaseTakeovers, long loadsQueued,
                         long earlyRefreshes, long staleServes, BreakerState l2Breaker) {

    /** Whether the cache is asking Redis. */
    public enum BreakerState {
        /** There is no L2. */
        OFF,
        /** Asking Redis. */
        CLOSED,
        /** Not asking: L2 commands fail at once, and reads go on to the loader. */
        OPEN,
        /** Trying again: a few trial commands decide between {@link #CLOSED} and {@link #OPEN}. */
        HALF_OPEN
    }

    /** Share of reads answered by either tier; NaN when L1 hits are not counted. */
    public double hitRatio() {
        if (l1Hits < 0) {
            return Double.NaN;
        }
        long reads = l1Hits + l1Misses;
        return reads == 0 ? 0 : (double) (l1Hits + l2Hits) / reads;
    }

    /** All counts 0 and the breaker {@link BreakerState#OFF} until set. */
    static Builder builder() {
        return new Builder();
    }

    /** Names each count as it is set, so that two of the eighteen cannot swap places unnoticed. Not thread-safe. */
    static final class Builder {
        private long l1Hits;
        private long l1Misses;
        private long l2Hits;
        private long loads;
        private long coalesced;
        private long l2Errors;
        private long invalidationsSent;
        private long invalidationsReceived;
        private long invalidationGaps;
        private long l1Flushes;
        private long invalidationLagMaxMs;
        private long leaseWaits;
        private long leasesLost;
        private long leaseTakeovers;
        private long loadsQueued;
        private long earlyRefreshes;
        private long staleServes;
        private BreakerState l2Breaker = BreakerState.OFF;

        private Builder() {
        }

        Builder l1Hits(long n) {
            l1Hits = n;
            return this;
        }

        Builder l1Misses(long n) {
            l1Misses = n;
            return this;
        }

        Builder l2Hits(long n) {
            l2Hits = n;
            return this;
        }

        Builder loads(long n) {
            loads = n;
            return this;
        }

        Builder coalesced(long n) {
            coalesced = n;
            return this;
        }

        Builder l2Errors(long n) {
            l2Errors = n;
            return this;
        }

        Builder invalidationsSent(long n) {
            invalidationsSent = n;
            return this;
        }

        Builder invalidationsReceived(long n) {
            invalidationsReceived = n;
            return this;
        }

        Builder invalidationGaps(long n) {
            invalidationGaps = n;
            return this;
        }

        Builder l1Flushes(long n) {
            l1Flushes = n;
            return this;
        }

        Builder invalidationLagMaxMs(long n) {
            invalidationLagMaxMs = n;
            return this;
        }

        Builder leaseWaits(long n) {
            leaseWaits = n;
            return this;
        }

        Builder leasesLost(long n) {
            leasesLost = n;
            return this;
        }

        Builder leaseTakeovers(long n) {
            leaseTakeovers = n;
            return this;
        }

        Builder loadsQueued(long n) {
            loadsQueued = n;
            return this;
        }

        Builder earlyRefreshes(long n) {
            earlyRefreshes = n;
            return this;
        }

        Builder staleServes(long n) {
            staleServes = n;
            return this;
        }

        Builder l2Breaker(BreakerState state) {
            l2Breaker = java.util.Objects.requireNonNull(state, "l2Breaker must not be null");
            return this;
        }

        CacheStats build() {
            return new CacheStats(l1Hits, l1Misses, l2Hits, loads, coalesced, l2Errors, invalidationsSent, invalidationsReceived,
                    invalidationGaps, l1Flushes, invalidationLagMaxMs, leaseWaits, leasesLost, leaseTakeovers, loadsQueued,
                    earlyRefreshes, staleServes, l2Breaker);
        }
    }
}
