package dev.headroom.cache;

import com.github.benmanes.caffeine.cache.Cache;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * A two-tier cache: L1 in this JVM (Caffeine, W-TinyLFU) in front of L2 in Redis, shared by every
 * instance. Either tier may be off. With both, the instances keep their L1s coherent over Redis: see
 * {@link Builder#invalidations}.
 *
 * <pre>{@code
 * TieredCache<Long, String> names = TieredCache.builder("names", Codec.utf8())
 *         .l1(10_000, Duration.ofSeconds(30))       // L1's TTL bounds how stale a value it serves can be
 *         .l2(redisClient, Duration.ofMinutes(10))
 *         .build();
 * String name = names.get(42L, id -> db.loadName(id)); // read-through
 * names.invalidate(42L);                               // after a write
 * }</pre>
 *
 * <p>Reads: L1, then L2, then the loader. Concurrent misses on one key in this instance run the loader
 * once (single flight); the others wait for its result. A loader's {@code null} means "absent" and is
 * cached too, for the shorter {@linkplain Builder#negativeTtl negative TTL}, so a run of requests for a
 * missing key does not reach the database each time.
 *
 * <p>Invalidation during a load: the load's result is still returned to the readers that were waiting
 * for it (they asked before the write), but it is not stored, so it cannot overwrite the invalidation
 * with a value read before the write.
 *
 * <p>Failure: an L2 command that fails or exceeds its timeout is counted ({@link CacheStats#l2Errors})
 * and the read goes on to the loader; it never fails the read. Loader exceptions reach every waiting
 * reader and nothing is cached.
 *
 * <p>Thread-safe. {@link #close()} closes the cache's own Redis connection.
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
    private final LocalTier<K> l1;
    /**
     * The same L1 when it is Caffeine, for the hit path of {@link #get} alone: through {@link LocalTier} a hit
     * pays one dependent load more (bench/cache-l1.sh measured 1.13x raw Caffeine's cost that way, 1.06x
     * and 0.96x direct; this machine's noise is about as large as the difference).
     */
    private final Cache<K, Object> caffeineL1;
    /**
     * Keys known to be absent, for the negative TTL: a cache of its own, so that L1 holds values only and
     * a hit returns what it finds without looking at it (a type check would load each value's header, a
     * cache miss that raw Caffeine does not pay).
     */
    private final LocalTier<K> l1Absent;
    private final RedisTier<V> l2;
    private final InvalidationBus<K> bus;
    private final Ttl l2Ttl;
    private final Ttl negativeTtl;
    private final ConcurrentHashMap<K, Load> loading = new ConcurrentHashMap<>();
    private final LongAdder l1Misses = new LongAdder();
    private final LongAdder l2Hits = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder l2Errors = new LongAdder();
    private final LongAdder leaseWaits = new LongAdder();
    private final boolean coalescing;
    private final java.util.concurrent.Semaphore loadPermits;
    private final LongAdder loadsQueued = new LongAdder();
    private final LongAdder earlyRefreshes = new LongAdder();
    private final LongAdder staleServes = new LongAdder();
    private final double refreshBeta;
    private final LongAdder leasesLost = new LongAdder();
    private final LongAdder leaseTakeovers = new LongAdder();
    private final long leaseTtl;
    private final long leaseWait;
    private static final String HELD = "held elsewhere";
    /**
     * A lease waiter looks for the value after this long, then after twice as long each time, up to
     * {@link #LEASE_POLL_MAX_NANOS}: a typical load ends within a millisecond, and a fixed 5 ms sleep made
     * the waiter the slowest reader of every key written while hot.
     */
    private static final long LEASE_POLL_FIRST_NANOS = 200_000;
    private static final long LEASE_POLL_MAX_NANOS = 5_000_000;

    /** A load in progress: the readers' shared result, and whether an invalidation voided it. */
    private static final class Load extends CompletableFuture<Object> {
        volatile boolean voided;
    }

    private TieredCache(Builder<K, V> b) {
        this.name = b.name;
        this.coalescing = b.coalescing;
        this.refreshBeta = b.refreshBeta;
        this.loadPermits = b.maxConcurrentLoads == 0 ? null : new java.util.concurrent.Semaphore(b.maxConcurrentLoads, true);
        this.leaseTtl = b.leaseTtl.toNanos();
        this.leaseWait = b.leaseWait.toNanos();
        this.negativeTtl = Ttl.of(b.negativeTtl, b.jitter);
        this.l2Ttl = b.l2Client == null ? null : Ttl.of(b.l2Ttl, b.jitter);
        this.l1 = b.l1Size == 0 ? null
                : b.lruL1 ? LocalTier.lru(b.l1Size, b.l1Ttl) : LocalTier.caffeine(b.l1Size, b.l1Ttl, b.recordStats);
        this.caffeineL1 = l1 instanceof LocalTier.OfCaffeine<K> c ? c.cache() : null;
        this.l1Absent = b.l1Size == 0 ? null : LocalTier.caffeine(b.l1Size, b.negativeTtl, false);
        this.l2 = b.l2Client == null ? null
                : new RedisTier<>(b.l2Client, b.name, b.codec, b.l2Timeout.toNanos(), b.staleGrace.toNanos());
        this.bus = b.parseKey == null ? null : new InvalidationBus<>(b.busClient(), b.name, b.parseKey, new InvalidationBus.Target<>() {
            @Override
            public void invalidateLocally(K key) {
                voidLoad(key);
                l1Remove(key);
            }

            @Override
            public void flushLocally() {
                loading.values().forEach(load -> load.voided = true);
                l1Clear();
            }
        }, b.heartbeat.toNanos());
    }

    public static <K, V> Builder<K, V> builder(String name, Codec<V> codec) {
        return new Builder<>(name, codec);
    }

    /**
     * Read-through: the cached value, or the loader's (stored in both tiers). A null from the loader
     * means absent: null is returned, and cached for the negative TTL.
     */
    @SuppressWarnings("unchecked")
    public V get(K key, Function<? super K, ? extends V> loader) {
        Object v = caffeineL1 != null ? caffeineL1.getIfPresent(key) : l1 != null ? l1.getIfPresent(key) : null;
        if (v != null) {
            return (V) v;
        }
        if (l1 != null && l1Absent.getIfPresent(key) != null) {
            return null;
        }
        l1Misses.increment();
        return (V) unwrap(miss(key, Objects.requireNonNull(loader, "loader")));
    }

    /** Cache-aside read: the cached value from either tier, or null when neither has it (or it is cached as absent). */
    @SuppressWarnings("unchecked")
    public V getIfPresent(K key) {
        Object v = l1 == null ? null : l1.getIfPresent(key);
        if (v == null && l1 != null && l1Absent.getIfPresent(key) != null) {
            v = ABSENT;
        }
        if (v == null) {
            l1Misses.increment();
            v = fromL2(key);
            if (v != null && l1 != null) {
                l1Put(key, v);
            }
        }
        return v == null || v == ABSENT ? null : (V) v;
    }

    /** Cache-aside write (or the cache half of write-through): stores the value in both tiers. */
    public void put(K key, V value) {
        Objects.requireNonNull(value, "value (use invalidate to remove a key)");
        voidLoad(key);
        store(key, value);
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
    public int warm(java.util.Map<K, V> values) {
        if (l2 == null) {
            values.forEach(this::l1Put);
            return values.size();
        }
        java.util.Map<String, Object> byKey = new java.util.HashMap<>(values.size() * 2);
        values.forEach((k, v) -> byKey.put(l2.key(k), Objects.requireNonNull(v, "warm values must not be null")));
        try {
            return l2.warm(byKey, l2Ttl::nextNanos);
        } catch (RedisTier.L2Failure e) {
            l2Errors.increment();
            return 0;
        }
    }

    /** Removes the key from both tiers, and keeps a load already running from storing its result. */
    public void invalidate(K key) {
        voidLoad(key);
        evict(key);
        if (bus != null) {
            bus.publishKey(String.valueOf(key));
        }
    }

    /** Removes every key of this cache from both tiers. */
    public void invalidateAll() {
        loading.values().forEach(load -> load.voided = true);
        if (l1 != null) {
            l1Clear();
        }
        if (l2 != null) {
            try {
                l2.deleteAll();
            } catch (RedisTier.L2Failure e) {
                l2Errors.increment();
            }
        }
        if (bus != null) {
            bus.publishAll();
        }
    }

    public CacheStats stats() {
        long l1Hits = l1 == null ? 0 : l1.hits();
        long l1Misses = this.l1Misses.sum();
        InvalidationBus<K> b = bus;
        return new CacheStats(l1Hits, l1Misses, l2Hits.sum(), loads.sum(), coalesced.sum(), l2Errors.sum(),
                b == null ? 0 : b.sent.sum(), b == null ? 0 : b.received.sum(), b == null ? 0 : b.gaps.sum(),
                b == null ? 0 : b.flushes.sum(), b == null ? 0 : b.maxLagMillis.get(),
                leaseWaits.sum(), leasesLost.sum(), leaseTakeovers.sum(), loadsQueued.sum(), earlyRefreshes.sum(), staleServes.sum(),
                l2 == null ? "OFF" : l2.breakerState());
    }

    public String name() {
        return name;
    }

    /** Remaining L2 time to live of a key in milliseconds: -2 when absent, -1 without expiry. */
    long l2TtlMillis(K key) {
        return l2.ttlMillis(l2.key(key));
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
        if (l2 != null) {
            l2.close();
        }
    }

    private Object miss(K key, Function<? super K, ? extends V> loader) {
        Load mine = new Load();
        Load running = loading.putIfAbsent(key, mine);
        if (running != null) {
            if (!coalescing) {
                return loadAlongside(key, loader);
            }
            coalesced.increment();
            return join(running);
        }
        try {
            RedisTier.Hit hit = l2Hit(key);
            Object found = hit == null ? null : hit.value();
            Object current = null;
            if (found != null && expired(hit)) {
                // kept past its expiry for the stale grace: reload it, and serve it to whoever would wait
                mine.complete(found);
                current = found;
                found = null;
            } else if (found != null && refreshBeta > 0 && refreshNow(hit)) {
                // this reader refreshes ahead of expiry; readers waiting on it get the current value now
                earlyRefreshes.increment();
                mine.complete(found);
                current = found;
                found = null;
            }
            String lease = null;
            if (found == null && l2 != null && coalescing) {
                lease = lease(key);
                if (lease == HELD) {
                    if (current != null) {
                        found = current; // another instance is reloading it already
                        staleServes.add(expired(hit) ? 1 : 0);
                    } else {
                        leaseWaits.increment();
                        Awaited awaited = awaitL2(key); // another instance is loading it: its value is on the way
                        found = awaited.value();
                        lease = awaited.lease();
                    }
                }
            }
            if (found == null) {
                loads.increment();
                long started = System.nanoTime();
                V loaded;
                try {
                    loaded = load(key, loader);
                } catch (RuntimeException e) {
                    releaseLease(key, lease);
                    if (current != null) {
                        return current; // an early refresh failed: the value it was replacing has not expired yet
                    }
                    throw e;
                }
                found = loaded == null ? ABSENT : loaded;
                if (!mine.voided) {
                    storeLoaded(key, found, lease, (System.nanoTime() - started) / 1_000_000);
                    undoIfVoided(key, mine);
                } else {
                    // A lease outlives a load that stores nothing unless given back: every other instance's
                    // miss on the key would wait for a value that is not coming, until the lease expires.
                    releaseLease(key, lease);
                }
            } else if (l1 != null && !mine.voided && found != current) {
                // (a value served while another instance reloads it stays out of L1: it may be expired)
                l1Put(key, found);
                undoIfVoided(key, mine);
            }
            mine.complete(found);
            return found;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
    }

    /**
     * Without coalescing, a miss on a key another reader is already loading loads it again (as a cache
     * without single flight does), but does not store: only the registered load can be voided by an
     * invalidation, so only it may write.
     */
    private Object loadAlongside(K key, Function<? super K, ? extends V> loader) {
        Object found = fromL2(key);
        if (found != null) {
            return found;
        }
        loads.increment();
        V loaded = load(key, loader);
        return loaded == null ? ABSENT : loaded;
    }

    /**
     * Runs the loader under the instance's concurrency limit: with L2 down, every miss reaches the
     * database, and the limit keeps that from becoming every thread at once.
     */
    private V load(K key, Function<? super K, ? extends V> loader) {
        if (loadPermits == null) {
            return loader.apply(key);
        }
        if (!loadPermits.tryAcquire()) {
            loadsQueued.increment();
            loadPermits.acquireUninterruptibly();
        }
        try {
            return loader.apply(key);
        } finally {
            loadPermits.release();
        }
    }

    /** A lease token, {@link #HELD} when another loader has it, or null when L2 cannot be asked. */
    private String lease(K key) {
        try {
            String token = l2.tryLease(l2.key(key), leaseTtl, UUID.randomUUID().toString());
            return token != null ? token : HELD;
        } catch (RedisTier.L2Failure e) {
            l2Errors.increment();
            return null;
        }
    }

    /** What waiting on another instance's lease came to: its value, or else the lease to load under ({@link #HELD}: none of ours). */
    private record Awaited(Object value, String lease) {
    }

    /**
     * Polls L2 for the lease holder's value. A holder whose lease a write voided (or that died) will write
     * nothing, so the lease is tried too: once it is free, this instance takes it and loads, instead of
     * waiting out {@code leaseWait} for a value that is not coming.
     */
    private Awaited awaitL2(K key) {
        long deadline = System.nanoTime() + leaseWait;
        long pause = LEASE_POLL_FIRST_NANOS;
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(Math.min(pause, Math.max(0, deadline - System.nanoTime())));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return new Awaited(null, HELD);
            }
            pause = Math.min(2 * pause, LEASE_POLL_MAX_NANOS);
            Object v = fromL2(key);
            if (v != null) {
                return new Awaited(v, HELD);
            }
            String ours = lease(key);
            if (ours != HELD) {
                Object landed = fromL2(key); // the holder's value may have landed between the two commands
                if (landed != null) {
                    releaseLease(key, ours);
                    return new Awaited(landed, HELD);
                }
                leaseTakeovers.increment();
                return new Awaited(null, ours);
            }
        }
        return new Awaited(null, HELD); // the holder is slow: load without writing L2 (the lease is not ours)
    }

    /** Gives back a lease of ours (not {@link #HELD}, not null: none) if it still stands. */
    private void releaseLease(K key, String token) {
        if (token == null || token == HELD) {
            return;
        }
        try {
            l2.releaseLease(l2.key(key), token);
        } catch (RedisTier.L2Failure e) {
            l2Errors.increment(); // it expires after leaseTtl
        }
    }

    /** After a load: L1, and L2 only under our lease (or without leases when L2 could not be asked). */
    private void storeLoaded(K key, Object value, String lease, long loadMillis) {
        if (l1 != null) {
            l1Put(key, value);
        }
        if (l2 == null || lease == HELD) {
            return;
        }
        long ttl = value == ABSENT ? negativeTtl.nextNanos() : l2Ttl.nextNanos();
        try {
            if (lease == null) {
                l2.put(l2.key(key), value, ttl, loadMillis);
            } else if (!l2.putIfLeased(l2.key(key), value, ttl, loadMillis, lease)) {
                // a write voided the lease while we loaded (or it expired): our value may predate that write
                leasesLost.increment();
                if (l1 != null) {
                    l1Remove(key);
                }
            }
        } catch (RedisTier.L2Failure e) {
            l2Errors.increment();
        }
    }

    /** The L2 value, or null when L2 lacks it or holds it only past its expiry (in the stale grace). */
    private Object fromL2(K key) {
        RedisTier.Hit hit = l2Hit(key);
        return hit == null || expired(hit) ? null : hit.value();
    }

    private static boolean expired(RedisTier.Hit hit) {
        return hit.expiresAtMillis() > 0 && System.currentTimeMillis() >= hit.expiresAtMillis();
    }

    private RedisTier.Hit l2Hit(K key) {
        if (l2 == null) {
            return null;
        }
        try {
            RedisTier.Hit hit = l2.get(l2.key(key));
            if (hit != null) {
                l2Hits.increment();
            }
            return hit;
        } catch (RedisTier.L2Failure e) {
            l2Errors.increment();
            return null;
        }
    }

    /**
     * XFetch (Vattani, Chierichetti, Lowenstein, "Optimal Probabilistic Cache Stampede Prevention",
     * VLDB 2015): refresh now with a probability that rises as expiry nears, scaled by how long the load
     * takes, so that one reader refreshes a hot key shortly before it expires instead of all of its
     * readers missing at once after.
     */
    private boolean refreshNow(RedisTier.Hit hit) {
        if (hit.expiresAtMillis() <= 0 || hit.loadMillis() <= 0) {
            return false;
        }
        double early = hit.loadMillis() * refreshBeta * -Math.log(1 - java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        return System.currentTimeMillis() + early >= hit.expiresAtMillis();
    }

    private void store(K key, Object value) {
        if (l1 != null) {
            l1Put(key, value);
        }
        if (l2 != null) {
            try {
                l2.put(l2.key(key), value, value == ABSENT ? negativeTtl.nextNanos() : l2Ttl.nextNanos(), 0);
            } catch (RedisTier.L2Failure e) {
                l2Errors.increment();
            }
        }
    }

    /**
     * An invalidation that slipped in between the check and the store: remove what was just stored.
     * Removing is always safe; at worst it costs a miss.
     */
    private void undoIfVoided(K key, Load load) {
        if (load.voided) {
            evict(key);
        }
    }

    private void evict(K key) {
        if (l1 != null) {
            l1Remove(key);
        }
        if (l2 != null) {
            try {
                l2.delete(l2.key(key));
            } catch (RedisTier.L2Failure e) {
                l2Errors.increment(); // L1 is clear; L2 keeps the old value until its TTL ends
            }
        }
    }

    private void voidLoad(K key) {
        Load running = loading.get(key);
        if (running != null) {
            running.voided = true;
        }
    }

    private static Object join(Load load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private void l1Put(K key, Object v) {
        if (v == ABSENT) {
            l1.invalidate(key);
            l1Absent.put(key, Boolean.TRUE);
        } else {
            l1Absent.invalidate(key);
            l1.put(key, v);
        }
    }

    private void l1Remove(K key) {
        l1.invalidate(key);
        l1Absent.invalidate(key);
    }

    private void l1Clear() {
        l1.invalidateAll();
        l1Absent.invalidateAll();
    }

    private static Object unwrap(Object v) {
        return v == ABSENT ? null : v;
    }

    /** Configuration, checked by {@link #build()} with messages that say what to change. */
    public static final class Builder<K, V> {
        private final String name;
        private final Codec<V> codec;
        private long l1Size;
        private Duration l1Ttl;
        private RedisClient l2Client;
        private Duration l2Ttl;
        private Duration l2Timeout = Duration.ofMillis(100);
        private Duration negativeTtl = Duration.ofSeconds(5);
        private double jitter = 0.1;
        private Function<String, K> parseKey;
        private boolean incoherentL1;
        private Duration heartbeat = Duration.ofSeconds(1);
        private Duration leaseTtl = Duration.ofSeconds(5);
        private Duration leaseWait = Duration.ofMillis(200);
        private boolean recordStats;
        private int maxConcurrentLoads;
        private double refreshBeta;
        private Duration staleGrace = Duration.ZERO;
        private boolean lruL1;
        private boolean coalescing = true;
        private RedisClient busClient;

        private Builder(String name, Codec<V> codec) {
            this.name = Checks.name("cache", " (it prefixes Redis keys)", name);
            this.codec = Objects.requireNonNull(codec, "codec");
        }

        /**
         * Counts L1 hits too ({@link CacheStats#l1Hits}; -1 without). Off by default, as in Caffeine: it is
         * Caffeine's striped counter, a few nanoseconds on every hit. Misses and everything else are always counted.
         */
        public Builder<K, V> recordStats() {
            this.recordStats = true;
            return this;
        }

        /**
         * At most {@code n} loader calls at once in this instance; more wait, in arrival order. Off by
         * default. Single flight already merges misses on one key; this bounds misses on different keys,
         * which all reach the database when L2 is down or cold.
         */
        public Builder<K, V> maxConcurrentLoads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("max concurrent loads must be at least 1, was " + n);
            }
            this.maxConcurrentLoads = n;
            return this;
        }

        /**
         * Refresh-ahead for L2 entries by XFetch: a reader that finds a value close to its expiry reloads
         * it early with a probability that grows as expiry nears and with the recorded load time, times
         * {@code beta} (1 is the paper's choice; larger refreshes earlier). While it reloads, other readers
         * keep getting the current value. Off by default; needs L2.
         */
        public Builder<K, V> refreshAhead(double beta) {
            if (!(beta > 0 && beta <= 100)) {
                throw new IllegalArgumentException("refresh-ahead beta must be in (0, 100], was " + beta);
            }
            this.refreshBeta = beta;
            return this;
        }

        /**
         * Keeps L2 values {@code grace} past their expiry. A reader that finds one reloads it; readers that
         * would wait for that reload (in this instance, or in another one holding the lease) get the
         * expired value instead, at most {@code grace} past its TTL. A reload that fails also answers with
         * it. Writes and invalidations delete the value as before, so nothing is served stale after a write.
         * Off by default (no grace).
         */
        public Builder<K, V> serveStale(Duration grace) {
            this.staleGrace = Checks.positive("stale grace", grace);
            return this;
        }

        /** L1: at most {@code maxEntries} in this JVM, each for {@code ttl}, the bound on how stale an L1 answer can be. */
        public Builder<K, V> l1(long maxEntries, Duration ttl) {
            if (maxEntries < 1) {
                throw new IllegalArgumentException("L1 size must be at least 1 entry, was " + maxEntries);
            }
            this.l1Size = maxEntries;
            this.l1Ttl = Checks.positive("L1 TTL", ttl);
            return this;
        }

        /**
         * A plain LRU L1 (one lock, every miss admitted) instead of Caffeine's W-TinyLFU, to compare the two
         * on the same workload; slower and with lower hit ratios on skewed traffic. L1 hits are then always counted.
         */
        public Builder<K, V> lruL1() {
            this.lruL1 = true;
            return this;
        }

        /**
         * Turns off stampede protection, to measure what it saves: concurrent misses on one key each call
         * the loader (only the first stores its value), and no Redis lease is taken.
         */
        public Builder<K, V> noCoalescing() {
            this.coalescing = false;
            return this;
        }

        /** L2: Redis through {@code client} (the cache opens its own connection), each entry for {@code ttl}. */
        public Builder<K, V> l2(RedisClient client, Duration ttl) {
            this.l2Client = Objects.requireNonNull(client, "Redis client");
            this.l2Ttl = Checks.positive("L2 TTL", ttl);
            return this;
        }

        /** How long an L2 command may take before the cache goes on without L2. Default 100 ms. */
        public Builder<K, V> l2Timeout(Duration timeout) {
            this.l2Timeout = Checks.positive("L2 timeout", timeout);
            return this;
        }

        /** How long "absent" is remembered in both tiers. Default 5 s. */
        public Builder<K, V> negativeTtl(Duration ttl) {
            this.negativeTtl = Checks.positive("negative TTL", ttl);
            return this;
        }

        /** Each TTL is drawn uniformly from {@code ttl × (1 ± jitter)}. Default 0.1; 0 turns it off. */
        public Builder<K, V> ttlJitter(double jitter) {
            if (!(jitter >= 0 && jitter < 1)) {
                throw new IllegalArgumentException("TTL jitter must be at least 0 and below 1, was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Keeps the L1s of all instances coherent: a write or invalidation in one instance removes the key
         * from the others' L1s within the pub/sub delay; a lost message or a dropped subscription is
         * detected and flushes the L1 that may have missed it (see {@code InvalidationBus}). Keys travel as
         * {@code String.valueOf(key)}; {@code parseKey} turns them back, e.g. {@code Long::valueOf}.
         * Required when both tiers are on, unless {@link #incoherentL1()} says otherwise.
         */
        public Builder<K, V> invalidations(Function<String, K> parseKey) {
            this.parseKey = Objects.requireNonNull(parseKey, "parseKey");
            return this;
        }

        /**
         * Keeps the L1s of instances that share no L2 coherent, over the pub/sub of {@code client}'s Redis:
         * as {@link #invalidations(Function)}, for an L1-only cache.
         */
        public Builder<K, V> invalidations(RedisClient client, Function<String, K> parseKey) {
            this.busClient = Objects.requireNonNull(client, "Redis client");
            return invalidations(parseKey);
        }

        private RedisClient busClient() {
            return busClient != null ? busClient : l2Client;
        }

        /**
         * L2 misses take a lease in Redis before loading, so that across all instances one loads and the
         * others wait up to {@code wait} for its value (then load without writing L2). The lease lasts
         * {@code ttl}: longer than a load takes. A delete voids it: a loader that read the database before a
         * write cannot write its old value back after it. Defaults: 5 s, 200 ms.
         */
        public Builder<K, V> leases(Duration ttl, Duration wait) {
            this.leaseTtl = Checks.positive("lease TTL", ttl);
            this.leaseWait = Checks.positive("lease wait", wait);
            return this;
        }

        /** How often each instance repeats its latest invalidation number, bounding how long a lost last message goes unnoticed. Default 1 s. */
        public Builder<K, V> heartbeat(Duration every) {
            this.heartbeat = Checks.positive("heartbeat", every);
            return this;
        }

        /** Both tiers, no invalidations between instances: a value changed elsewhere is served from L1 until its L1 TTL ends. */
        public Builder<K, V> incoherentL1() {
            this.incoherentL1 = true;
            return this;
        }

        public TieredCache<K, V> build() {
            if (l1Size == 0 && l2Client == null) {
                throw new IllegalArgumentException("cache '" + name + "' has no tier: call l1(...), l2(...) or both");
            }
            if (l1Size > 0 && l2Client != null && parseKey == null && !incoherentL1) {
                throw new IllegalArgumentException("cache '" + name + "' has L1 and L2: call invalidations(parseKey), e.g."
                        + " invalidations(Long::valueOf), so instances drop what another one changed; or incoherentL1()"
                        + " to accept L1 answers up to the L1 TTL old");
            }
            if (!staleGrace.isZero() && l2Client == null) {
                throw new IllegalArgumentException("cache '" + name + "': serveStale(...) keeps L2 entries past expiry, so it needs l2(...)");
            }
            if (refreshBeta > 0 && l2Client == null) {
                throw new IllegalArgumentException("cache '" + name + "': refreshAhead(...) refreshes L2 entries, so it needs l2(...)");
            }
            if (parseKey != null && l1Size == 0) {
                throw new IllegalArgumentException("cache '" + name + "': invalidations(...) keep L1s coherent, so they need l1(...)");
            }
            if (parseKey != null && busClient() == null) {
                throw new IllegalArgumentException("cache '" + name + "' has no L2 to carry invalidations:"
                        + " use invalidations(redisClient, parseKey) to name the Redis that carries them");
            }
            if (lruL1 && l1Size == 0) {
                throw new IllegalArgumentException("cache '" + name + "': lruL1() changes L1's eviction, so it needs l1(...)");
            }
            return new TieredCache<>(this);
        }

    }
}
