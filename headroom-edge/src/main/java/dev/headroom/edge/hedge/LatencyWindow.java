package dev.headroom.edge.hedge;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Recent latencies, enough to read a high percentile: log-linear buckets (4 per power of two, so a bucket is at most
 * 19 % wide) from 1 µs to about 70 s, in two halves that rotate every {@code windowNanos}: a percentile reads the half
 * being filled and the one before, so it forgets what is older than two windows (the decay) without ever reading an
 * empty window just after a rotation.
 *
 * <p>Concurrency: lock-free. A record is one {@code incrementAndGet}; the thread that sees a window end first wins a
 * compare-and-set on the epoch and clears the half it reuses. A record racing with that clear may be lost: a
 * percentile is an estimate here, and a lost sample among hundreds moves it by less than a bucket. Reading costs
 * {@value #BUCKETS} × 2 volatile reads, so {@link Hedger} caches what it reads.
 */
final class LatencyWindow {
    static final int SUB_BUCKETS = 4;
    static final int BUCKETS = 37 * SUB_BUCKETS;

    private final long windowNanos;
    private final AtomicLongArray counts = new AtomicLongArray(2 * BUCKETS);
    private final AtomicLong epoch;

    LatencyWindow(long windowNanos, long now) {
        this.windowNanos = windowNanos;
        this.epoch = new AtomicLong(now / windowNanos);
    }

    void record(long nanos, long now) {
        long e = rotate(now);
        counts.incrementAndGet(half(e) + bucket(nanos));
    }

    /**
     * The latency under which {@code quantile} of the recent samples lie (the bucket's upper bound, so never below
     * the true value by more than a bucket); -1 when fewer than {@code minSamples} were recorded.
     */
    long percentileNanos(double quantile, long minSamples, long now) {
        long e = rotate(now);
        int current = half(e);
        int previous = half(e + 1);
        long total = 0;
        for (int b = 0; b < BUCKETS; b++) {
            total += counts.get(current + b) + counts.get(previous + b);
        }
        if (total < minSamples || total == 0) {
            return -1;
        }
        long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts.get(current + b) + counts.get(previous + b);
            if (seen >= rank) {
                return upperBound(b);
            }
        }
        return upperBound(BUCKETS - 1);
    }

    /** Moves to the epoch of {@code now}, clearing the halves that fell out of the window. */
    private long rotate(long now) {
        long e = epoch.get();
        long target = now / windowNanos;
        if (target > e && epoch.compareAndSet(e, target)) {
            clear(half(target));
            if (target - e > 1) {
                clear(half(target + 1)); // idle for more than a window: the previous half is stale too
            }
            return target;
        }
        return Math.max(e, epoch.get());
    }

    private void clear(int from) {
        for (int b = 0; b < BUCKETS; b++) {
            counts.set(from + b, 0);
        }
    }

    private static int half(long epoch) {
        return (int) (epoch & 1) * BUCKETS;
    }

    /** Microseconds: the power of two, then the next two bits below it. */
    static int bucket(long nanos) {
        long micros = Math.max(1, nanos / 1_000);
        int power = 63 - Long.numberOfLeadingZeros(micros);
        int sub = power < 2 ? (int) (micros << (2 - power)) & (SUB_BUCKETS - 1) : (int) (micros >>> (power - 2)) & (SUB_BUCKETS - 1);
        return Math.min(BUCKETS - 1, power * SUB_BUCKETS + sub);
    }

    /** The smallest latency above every value of bucket {@code b}, in nanoseconds. */
    static long upperBound(int b) {
        int power = b / SUB_BUCKETS;
        int sub = b % SUB_BUCKETS;
        long lowMicros = (1L << power) + ((long) sub << power) / SUB_BUCKETS;
        long widthMicros = Math.max(1, (1L << power) / SUB_BUCKETS);
        return (lowMicros + widthMicros) * 1_000;
    }
}
