package dev.headroom.cache;

/**
 * Counts since the cache was built.
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
 * @param l2Breaker             the L2 circuit breaker: CLOSED (asking Redis), OPEN (not asking), HALF_OPEN
 *                              (trying again), or OFF without L2
 */
public record CacheStats(long l1Hits, long l1Misses, long l2Hits, long loads, long coalesced, long l2Errors,
                         long invalidationsSent, long invalidationsReceived, long invalidationGaps, long l1Flushes,
                         long invalidationLagMaxMs, long leaseWaits, long leasesLost, long leaseTakeovers, long loadsQueued, long earlyRefreshes, long staleServes, String l2Breaker) {
    /** Share of reads answered by either tier; NaN when L1 hits are not counted. */
    public double hitRatio() {
        if (l1Hits < 0) {
            return Double.NaN;
        }
        long reads = l1Hits + l1Misses;
        return reads == 0 ? 0 : (double) (l1Hits + l2Hits) / reads;
    }
}
