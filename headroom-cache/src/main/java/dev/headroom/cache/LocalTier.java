package dev.headroom.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The in-process tier: Caffeine (W-TinyLFU admission and eviction) normally, or a plain LRU for
 * comparing the two on the same workload. Values only; the caller keeps "absent" elsewhere. Both read
 * time from the cache's {@link Time}. Thread-safe.
 */
sealed interface LocalTier<K> permits LocalTier.OfCaffeine, LocalTier.Lru {
    Object getIfPresent(K key);

    void put(K key, Object value);

    void invalidate(K key);

    void invalidateAll();

    /** Reads answered here; -1 when not counted. */
    long hits();

    /** Caffeine reading the cache's time, its upkeep (buffer drains, eviction) run by {@code executor}. */
    static <K> LocalTier<K> caffeine(long maxEntries, Duration ttl, boolean recordStats, Time time, Executor executor) {
        Caffeine<Object, Object> caffeine = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(ttl)
                .ticker(time.forCaffeine()).executor(executor);
        if (recordStats) {
            caffeine.recordStats();
        }
        return new OfCaffeine<>(caffeine.build(), recordStats);
    }

    static <K> LocalTier<K> lru(long maxEntries, Duration ttl, Time time) {
        return new Lru<>((int) Math.min(maxEntries, Integer.MAX_VALUE), ttl.toNanos(), time);
    }

    record OfCaffeine<K>(Cache<K, Object> cache, boolean recordStats) implements LocalTier<K> {
        @Override
        public Object getIfPresent(K key) {
            return cache.getIfPresent(key);
        }

        @Override
        public void put(K key, Object value) {
            cache.put(key, value);
        }

        @Override
        public void invalidate(K key) {
            cache.invalidate(key);
        }

        @Override
        public void invalidateAll() {
            cache.invalidateAll();
        }

        @Override
        public long hits() {
            return recordStats ? cache.stats().hitCount() : -1;
        }
    }

    /**
     * The textbook LRU most hand-rolled caches are: an access-ordered map behind one lock, evicting the
     * least recently used entry when full, every miss admitted. Hits are always counted (under the lock anyway).
     */
    final class Lru<K> implements LocalTier<K> {
        private record Timed(Object value, long expiresAt) {
        }

        private final long ttlNanos;
        private final Time time;
        private final LinkedHashMap<K, Timed> map;
        private long hits;

        Lru(int maxEntries, long ttlNanos, Time time) {
            this.ttlNanos = ttlNanos;
            this.time = time;
            this.map = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<K, Timed> eldest) {
                    return size() > maxEntries;
                }
            };
        }

        @Override
        public synchronized Object getIfPresent(K key) {
            Timed e = map.get(key);
            if (e == null) {
                return null;
            }
            if (time.nanos() - e.expiresAt >= 0) {
                map.remove(key);
                return null;
            }
            hits++;
            return e.value;
        }

        @Override
        public synchronized void put(K key, Object value) {
            map.put(key, new Timed(value, time.nanos() + ttlNanos));
        }

        @Override
        public synchronized void invalidate(K key) {
            map.remove(key);
        }

        @Override
        public synchronized void invalidateAll() {
            map.clear();
        }

        @Override
        public synchronized long hits() {
            return hits;
        }
    }
}
