package dev.headroom.cache;

/**
 * The cache's source of time: nanoseconds from an arbitrary origin, like {@link System#nanoTime()}.
 * Every time the library reads (L1 and L2 expiry, refresh-ahead, load durations, lease waits,
 * the L2 circuit breaker, invalidation stamps) comes from the builder's ticker, so a test can move
 * time forward instead of sleeping:
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * TieredCache<Long, String> cache = TieredCache.<Long, String>builder("names", Codec.utf8())
 *         .l1(100, Duration.ofSeconds(30)).ticker(now::get).build();
 * now.addAndGet(Duration.ofSeconds(31).toNanos());   // every L1 entry has now expired
 * }</pre>
 *
 * <p>What the ticker does not move: how long a thread blocks on the network (an L2 command's timeout,
 * {@code WriteBehind}'s polls) and the expiry Redis itself applies to keys. Stamps other instances read
 * (an L2 value's expiry, an invalidation's send time) are wall-clock milliseconds: with
 * {@link #system()} they come from {@link System#currentTimeMillis()}; with any other ticker, from the
 * wall clock when the cache was built plus the ticker's progress since.
 *
 * <p>Implementations must be thread-safe and cheap (the L1 hit path reads the ticker), and should
 * not go backwards.
 */
@FunctionalInterface
public interface Ticker {
    /** Nanoseconds since an arbitrary, fixed origin. */
    long read();

    /** {@link System#nanoTime()}: the default. */
    static Ticker system() {
        return Time.SystemTicker.INSTANCE;
    }
}
