package dev.headroom.data.replica;

/**
 * The primary's log position sampled over time, to turn a replica's replayed position into a staleness: a replica
 * that has replayed up to the position the primary had at time t holds every commit visible on the primary at t.
 * One thread samples ({@link #record}); the replica pollers ask ({@link #caughtUpTo}); both under this object's
 * lock, a few times per poll interval — never on a read's path, which reads {@link #latest} only.
 */
final class PrimaryClock {
    private final long[] nanos;
    private final long[] lsns;
    // guarded by this
    private int next;
    private int size;
    private volatile long latest;
    private volatile long latestAt;

    PrimaryClock(int capacity) {
        this.nanos = new long[capacity];
        this.lsns = new long[capacity];
    }

    synchronized void record(long at, long lsn) {
        nanos[next] = at;
        lsns[next] = lsn;
        next = (next + 1) % nanos.length;
        size = Math.min(size + 1, nanos.length);
        latest = lsn;
        latestAt = at;
    }

    /** The primary's position at the last sample; 0 before the first. */
    long latest() {
        return latest;
    }

    /** When the last sample was taken (System.nanoTime); 0 before the first. */
    long latestAt() {
        return latestAt;
    }

    /**
     * The time of the newest sample the position {@code replayed} covers: the replica holds what the primary held
     * then. When it covers none: the first sample's time while every sample since the start is kept (it was behind
     * already when sampling began, so its staleness is counted from then: a lower bound, which a replica a moment
     * behind the start soon leaves), else {@code Long.MIN_VALUE} (further behind than the samples reach), and
     * {@code Long.MIN_VALUE} before the first sample.
     */
    synchronized long caughtUpTo(long replayed) {
        // Samples are in log order: binary search from the oldest kept to the newest.
        int lo = 0;
        int hi = size - 1;
        int oldest = (next - size + nanos.length) % nanos.length;
        long found = size > 0 && size < nanos.length ? nanos[oldest] : Long.MIN_VALUE;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int i = (oldest + mid) % nanos.length;
            if (Long.compareUnsigned(lsns[i], replayed) <= 0) {
                found = nanos[i];
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
