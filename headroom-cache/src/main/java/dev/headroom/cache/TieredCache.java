package dev.headroom.cache;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A two-tier cache: L1 in this JVM (Caffeine, W-TinyLFU) in front of L2 in Redis, shared by every
 * instance. Either tier may be off. With both, the instances keep their L1s coherent over Redis: see
 * {@link TieredCacheBuilder#invalidations}.
 *
 * <pre>{@code
 * TieredCache<Long, String> names = TieredCache.<Long, String>builder("names", Codec.utf8())
 *         .l1(10_000, Duration.ofSeconds(30))       // L1's TTL bounds how stale a value it serves can be
 *         .l2(redisClient, Duration.ofMinutes(10))
 *         .invalidations(Long::valueOf)
 *         .build();
 * String name = names.get(42L, id -> db.loadName(id)); // read-through
 * names.invalidate(42L);                               // after a write
 * }</pre>
 *
 * <p>Reads: L1, then L2, then the loader. Concurrent misses on one key in this instance run the loader
 * once (single flight); the others wait for its result. A loader's {@code null} means "absent" and is
 * cached too, for the shorter {@linkplain TieredCacheBuilder#negativeTtl negative TTL}, so a run of
 * requests for a missing key does not reach the database each time.
 *
 * <p>Invalidation during a load: the load's result is still returned to the readers that were waiting
 * for it (they asked before the write), but it is not stored, so it cannot overwrite the invalidation
 * with a value read before the write.
 *
 * <p>Failure: an L2 command that fails or exceeds its timeout is counted ({@link CacheStats#l2Errors})
 * and the read goes on to the loader; it never fails the read. Loader exceptions reach every waiting
 * reader and nothing is cached.
 *
 * <p>Thread-safe. {@link #close()} closes the cache's own Redis connections. The cache starts no thread:
 * L1 upkeep runs on the builder's {@linkplain TieredCacheBuilder#executor executor}, timers on the Redis
 * client's event executors.
 */
/*
 * Design. This class is the API and the L1 hit path; the rest is package-private, one class per seam:
 *   ReadThrough  the miss path: single flight, L2 lookup (expiry, XFetch), lease, load, store
 *   Leases       the lease protocol across instances
 *   Tiers        L1 values + absent markers, L2 with its failures counted
 *   Counters     every count, and the CacheStats built from them
 *   InvalidationBus, RedisTier, LocalTier, Time  as their names say
 *
 * Hit path: get() and getIfPresentLocally() read a Caffeine L1 through its own field (caffeineL1), not
 * through LocalTier: one dependent load less per hit, which measured 1.13x raw Caffeine's cost through
 * LocalTier and 1.06x direct (bench/cache-l1.sh, docs/benchmarks.md). L1 holds values only, so a hit
 * returns what it finds without looking at it; "absent" lives in a second cache that only misses
 * consult. Nothing is counted on a hit unless recordStats() asks Caffeine to.
 */
public final class TieredCache<K, V> implements AutoCloseable {
    /** What L2 stores, and the tiers pass around, for "the loader found nothing". */
    static final Object ABSENT = new Object() {
        @Override
        public String toString() {
            return "ABSENT";
        }
    };

    private final String name;
    /** The L1 when it is Caffeine, for the hit path alone (see the design note). */
    private final Cache<K, Object> caffeineL1;
    private final LocalTier<K> l1;
    private final LocalTier<K> l1Absent;
    private final Counters counters = new Counters();
    private final Tiers<K> tiers;
    private final ReadThrough<K, V> readThrough;
    private final InvalidationBus<K> bus;

    TieredCache(TieredCacheBuilder<K, V> b) {
        this.name = b.name;
        Time time = new Time(b.ticker);
        Ttl negativeTtl = Ttl.of(b.negativeTtl, b.jitter);
        if (b.l1MaxEntries == 0) {
            this.l1 = null;
            this.l1Absent = null;
        } else {
            this.l1 = b.lruL1 ? LocalTier.lru(b.l1MaxEntries, b.l1Ttl, time)
                    : LocalTier.caffeine(b.l1MaxEntries, b.l1Ttl, b.recordStats, time, b.executor);
            this.l1Absent = LocalTier.caffeine(b.l1MaxEntries, b.negativeTtl, false, time, b.executor);
        }
        this.caffeineL1 = l1 instanceof LocalTier.OfCaffeine<K> c ? c.cache() : null;
        RedisTier<V> l2 = b.l2Client == null ? null : new RedisTier<>(b.l2Client, b.name, b.codec, b.l2Timeout.toNanos(),
                b.staleGrace.toNanos(), b.l2Breaker, time);
        this.tiers = new Tiers<>(l1, l1Absent, l2, l2 == null ? null : Ttl.of(b.l2Ttl, b.jitter), negativeTtl, counters, time);
        Leases<K> leases = l2 == null ? null : new Leases<>(tiers, counters, time, b.leaseTtl.toNanos(), b.leaseWait.toNanos());
        this.readThrough = new ReadThrough<>(tiers, leases, counters, time, b.coalescing, b.maxConcurrentLoads, b.refreshBeta);
        this.bus = b.parseKey == null ? null : new InvalidationBus<>(b.busClient(), b.name, b.parseKey, new InvalidationBus.Target<>() {
            @Override
            public void invalidateLocally(K key) {
                readThrough.voidLoad(key);
                tiers.l1Remove(key);
            }

            @Override
            public void flushLocally() {
                readThrough.voidAll();
                tiers.l1Clear();
            }
        }, b.heartbeat.toNanos(), counters, time);
    }

    /** A builder for a cache named {@code name} (it prefixes the cache's Redis keys), storing values in L2 with {@code codec}. */
    public static <K, V> TieredCacheBuilder<K, V> builder(String name, Codec<V> codec) {
        return new TieredCacheBuilder<>(name, codec);
    }

    /**
     * Read-through: the cached value, or the loader's (stored in both tiers). A null from the loader
     * means absent: null is returned, and cached for the negative TTL.
     */
    @SuppressWarnings("unchecked")
    public V get(K key, Function<? super K, ? extends V> loader) {
        V v = getIfPresentLocally(key);
        if (v != null) {
            return v;
        }
        if (l1 != null && l1Absent.getIfPresent(key) != null) {
            return null;
        }
        counters.l1Misses.increment();
        return (V) unwrap(readThrough.miss(key, Objects.requireNonNull(loader, "loader")));
    }

    /**
     * L1 alone: the value this instance holds, or null (not held, held as absent, or no L1). It never asks
     * Redis, so it may run where nothing may block, such as an event loop. A hit counts as {@link #get}'s
     * does; a miss is not counted, since a caller that goes on to {@code get} counts it there.
     */
    @SuppressWarnings("unchecked")
    public V getIfPresentLocally(K key) {
        return (V) (caffeineL1 != null ? caffeineL1.getIfPresent(key) : l1 != null ? l1.getIfPresent(key) : null);
    }

    /** Cache-aside read: the cached value from either tier, or null when neither has it (or it is cached as absent). */
    @SuppressWarnings("unchecked")
    public V getIfPresent(K key) {
        Object v = tiers.l1Get(key);
        if (v == null) {
            counters.l1Misses.increment();
            v = tiers.l2Fresh(key);
            if (v != null) {
                tiers.l1Put(key, v);
            }
        }
        return (V) unwrap(v);
    }

    /** Cache-aside write (or the cache half of write-through): stores the value in both tiers. */
    public void put(K key, V value) {
        Objects.requireNonNull(value, "value (use invalidate to remove a key)");
        readThrough.voidLoad(key);
        tiers.store(key, value);
        if (bus != null) {
            bus.publishKey(String.valueOf(key));
        }
    }

    /**
     * Cache warming, before traffic needs the values: stores them in L2 where it holds nothing for their
     * keys (never over a value already there), in one pipelined batch, or in L1 when there is no L2. L1s
     * otherwise fill from reads, so that they hold what each instance's traffic asks for. Call it with
     * values just read from the database, before writes begin: a write that lands between that read and
     * this call is missed, and the older value stays in L2 until its TTL ends.
     *
     * @return how many values were stored; 0 when L2 could not be reached
     */
    public int warm(Map<K, V> values) {
        return tiers.warm(values);
    }

    /** Removes the key from both tiers, and keeps a load already running from storing its result. */
    public void invalidate(K key) {
        readThrough.voidLoad(key);
        tiers.evict(key);
        if (bus != null) {
            bus.publishKey(String.valueOf(key));
        }
    }

    /** Removes every key of this cache from both tiers. */
    public void invalidateAll() {
        readThrough.voidAll();
        tiers.clear();
        if (bus != null) {
            bus.publishAll();
        }
    }

    /** The counts so far; a new snapshot each call. */
    public CacheStats stats() {
        return counters.stats(l1 == null ? 0 : l1.hits(),
                tiers.l2 == null ? CacheStats.BreakerState.OFF : tiers.l2.breakerState());
    }

    public String name() {
        return name;
    }

    /**
     * Why L2 is not asked: the last Redis failure while the L2 circuit breaker is open or half-open (for readiness
     * checks); null while it is closed or there is no L2.
     */
    public String l2BreakerCause() {
        return tiers.l2 == null ? null : tiers.l2.openCause();
    }

    /** Remaining L2 time to live of a key in milliseconds: -2 when absent, -1 without expiry. */
    long l2TtlMillis(K key) {
        return tiers.l2.ttlMillis(tiers.l2.key(key));
    }

    /** Test hook: the next invalidation this instance publishes is lost on the way. */
    void dropNextInvalidation() {
        bus.dropNextPublish();
    }

    @Override
    public void close() {
        if (bus != null) {
            bus.close();
        }
        if (tiers.l2 != null) {
            tiers.l2.close();
        }
    }

    private static Object unwrap(Object v) {
        return v == ABSENT ? null : v;
    }
}
