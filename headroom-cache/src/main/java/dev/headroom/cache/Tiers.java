package dev.headroom.cache;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Both tiers as the cache's read and write paths use them. L1 is two local caches: values, and the
 * keys known to be absent (for the negative TTL), so that a hit on values returns what it finds without
 * looking at it. L2 is Redis, whose every failure is counted ({@link CacheStats#l2Errors}) and routed
 * around here: a read that fails is a miss, a write that fails is skipped. Either tier may be off (null);
 * each method then does what remains. Thread-safe.
 */
final class Tiers<K> {
    /** Null without L1. */
    final LocalTier<K> l1;
    /** Null without L1. */
    final LocalTier<K> l1Absent;
    /** Null without L2. */
    final RedisTier<?> l2;
    private final Ttl l2Ttl;
    private final Ttl negativeTtl;
    private final Counters counters;
    private final Time time;

    Tiers(LocalTier<K> l1, LocalTier<K> l1Absent, RedisTier<?> l2, Ttl l2Ttl, Ttl negativeTtl, Counters counters, Time time) {
        this.l1 = l1;
        this.l1Absent = l1Absent;
        this.l2 = l2;
        this.l2Ttl = l2Ttl;
        this.negativeTtl = negativeTtl;
        this.counters = counters;
        this.time = time;
    }

    // ---- L1

    /** The L1 value, {@link TieredCache#ABSENT} when known absent, or null when L1 does not know (or is off). */
    Object l1Get(K key) {
        if (l1 == null) {
            return null;
        }
        Object v = l1.getIfPresent(key);
        return v != null ? v : l1Absent.getIfPresent(key) != null ? TieredCache.ABSENT : null;
    }

    void l1Put(K key, Object v) {
        if (l1 == null) {
            return;
        }
        if (v == TieredCache.ABSENT) {
            l1.invalidate(key);
            l1Absent.put(key, Boolean.TRUE);
        } else {
            l1Absent.invalidate(key);
            l1.put(key, v);
        }
    }

    void l1Remove(K key) {
        if (l1 != null) {
            l1.invalidate(key);
            l1Absent.invalidate(key);
        }
    }

    void l1Clear() {
        if (l1 != null) {
            l1.invalidateAll();
            l1Absent.invalidateAll();
        }
    }

    // ---- L2

    boolean hasL2() {
        return l2 != null;
    }

    /** What L2 holds for the key, including a value kept past its expiry for the stale grace; null on a miss. */
    RedisTier.Hit l2Hit(K key) {
        if (l2 == null) {
            return null;
        }
        try {
            RedisTier.Hit hit = l2.get(l2.key(key));
            if (hit != null) {
                counters.l2Hits.increment();
            }
            return hit;
        } catch (RedisTier.L2Failure e) {
            counters.l2Errors.increment();
            return null;
        }
    }

    /** The L2 value, or null when L2 lacks it or holds it only past its expiry (in the stale grace). */
    Object l2Fresh(K key) {
        RedisTier.Hit hit = l2Hit(key);
        return hit == null || expired(hit) ? null : hit.value();
    }

    /** Past its expiry by the cache's clock (Redis may still keep it, for the stale grace). */
    boolean expired(RedisTier.Hit hit) {
        return hit.expiresAtMillis() > 0 && time.epochMillis() >= hit.expiresAtMillis();
    }

    /** The L2 time to live for a value, jittered; the negative TTL for {@link TieredCache#ABSENT}. */
    long l2TtlNanos(Object value) {
        return value == TieredCache.ABSENT ? negativeTtl.nextNanos() : l2Ttl.nextNanos();
    }

    /** An authoritative L2 write (it voids any lease on the key); skipped without L2. */
    void l2Put(K key, Object value, long loadMillis) {
        if (l2 == null) {
            return;
        }
        try {
            l2.put(l2.key(key), value, l2TtlNanos(value), loadMillis);
        } catch (RedisTier.L2Failure e) {
            counters.l2Errors.increment();
        }
    }

    // ---- both

    /** A write: the value into both tiers. */
    void store(K key, Object value) {
        l1Put(key, value);
        l2Put(key, value, 0);
    }

    /** Removes the key from both tiers (and voids its lease). Removing is always safe; at worst it costs a miss. */
    void evict(K key) {
        l1Remove(key);
        if (l2 != null) {
            try {
                l2.delete(l2.key(key));
            } catch (RedisTier.L2Failure e) {
                counters.l2Errors.increment(); // L1 is clear; L2 keeps the old value until its TTL ends
            }
        }
    }

    void clear() {
        l1Clear();
        if (l2 != null) {
            try {
                l2.deleteAll();
            } catch (RedisTier.L2Failure e) {
                counters.l2Errors.increment();
            }
        }
    }

    /** See {@link TieredCache#warm}: into L2 where it holds nothing, or into L1 without L2. */
    <V> int warm(Map<K, V> values) {
        if (l2 == null) {
            values.forEach(this::l1Put);
            return values.size();
        }
        Map<String, Object> byKey = new HashMap<>(values.size() * 2);
        values.forEach((k, v) -> byKey.put(l2.key(k), Objects.requireNonNull(v, "warm values must not be null")));
        try {
            return l2.warm(byKey, l2Ttl::nextNanos);
        } catch (RedisTier.L2Failure e) {
            counters.l2Errors.increment();
            return 0;
        }
    }
}
