package dev.headroom.edge.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (AWS's "Exponential Backoff and Jitter"): before retry {@code n} (0 for the
 * first), wait a uniformly random time in {@code [0, min(cap, base × 2^n))}. The randomness spreads clients that
 * failed together, so that their retries do not arrive together again; full jitter does that with the least total
 * work of the variants AWS compared. Thread-safe when its random generator is ({@link ThreadLocalRandom} by default).
 */
public final class Backoff {
    /** Envoy's default base interval. */
    public static final Duration DEFAULT_BASE = Duration.ofMillis(25);
    /** Envoy's default cap: ten times the base. */
    public static final Duration DEFAULT_CAP = Duration.ofMillis(250);

    private final long baseNanos;
    private final long capNanos;
    private final RandomGenerator random;

    private Backoff(long baseNanos, long capNanos, RandomGenerator random) {
        this.baseNanos = baseNanos;
        this.capNanos = capNanos;
        this.random = random;
    }

    public static Backoff ofDefaults() {
        return exponential(DEFAULT_BASE, DEFAULT_CAP);
    }

    /** @throws IllegalArgumentException unless 0 ≤ base ≤ cap (a zero base: no waiting) */
    public static Backoff exponential(Duration base, Duration cap) {
        return exponential(base, cap, ThreadLocalRandom.current());
    }

    /** With a random generator of the caller's, e.g. a seeded one in a test. */
    public static Backoff exponential(Duration base, Duration cap, RandomGenerator random) {
        if (base == null || base.isNegative()) {
            throw new IllegalArgumentException("the backoff's base must be zero or positive, was " + base);
        }
        if (cap == null || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("the backoff's cap must be at least its base " + base.toMillis() + " ms, was " + cap);
        }
        return new Backoff(base.toNanos(), cap.toNanos(), java.util.Objects.requireNonNull(random, "random"));
    }

    /** The wait before retry {@code retry} (0 for the first retry), in nanoseconds. */
    public long delayNanos(int retry) {
        long ceiling = ceilingNanos(retry);
        return ceiling == 0 ? 0 : random.nextLong(ceiling);
    }

    /** The upper bound of the wait before retry {@code retry}: min(cap, base × 2^retry). */
    public long ceilingNanos(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must be 0 (the first) or more, was " + retry);
        }
        // shifting past 62 bits overflows; the cap is reached long before
        return retry >= 62 || baseNanos > (capNanos >> retry) ? capNanos : baseNanos << retry;
    }

    public Duration base() {
        return Duration.ofNanos(baseNanos);
    }

    public Duration cap() {
        return Duration.ofNanos(capNanos);
    }
}
