package dev.headroom.cache;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A time to live with jitter: each entry lives {@code base × (1 ± jitter)}, uniformly. Without jitter,
 * entries written together (a warm-up, a bulk load) expire together, and their reloads arrive at the
 * database as one burst. Built from values the cache's builder has checked (a positive TTL, jitter
 * in [0, 1)). Immutable; {@link #nextNanos} draws from {@link ThreadLocalRandom}, so it is thread-safe.
 */
record Ttl(long baseNanos, double jitter) {

    static Ttl of(Duration base, double jitter) {
        return new Ttl(base.toNanos(), jitter);
    }

    long nextNanos() {
        if (jitter == 0) {
            return baseNanos;
        }
        double factor = 1 - jitter + 2 * jitter * ThreadLocalRandom.current().nextDouble();
        return Math.max(1, (long) (baseNanos * factor));
    }
}
