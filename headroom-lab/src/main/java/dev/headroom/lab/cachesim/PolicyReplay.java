package dev.headroom.lab.cachesim;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;

/**
 * An eviction policy replaying a request trace alone, outside any system: the hit ratio the policy
 * itself gives on that trace. Set beside a system's measured hit ratio it tells the policy's share of
 * a gap to {@link OptimalHitRatio} from the system's (timing, coalescing, lost invalidations); set
 * beside the optimum it tells what a better policy could still win.
 *
 * <p>Traces and counting are those of {@link OptimalHitRatio}: {@code k > 0} reads key {@code k} and
 * admits it on a miss, {@code -k} writes it (the cached entry is dropped), and reads from
 * {@code measureFrom} on are counted.
 */
public final class PolicyReplay {
    private PolicyReplay() {}

    /** Caffeine (W-TinyLFU) bounded to {@code capacity} entries, its maintenance run on the replaying thread. */
    public static OptimalHitRatio.Result caffeine(long[] trace, int capacity, int measureFrom) {
        OptimalHitRatio.checkArguments(trace, capacity, measureFrom);
        Cache<Long, Boolean> cache = Caffeine.newBuilder().maximumSize(capacity).executor(Runnable::run).build();
        return replay(trace, measureFrom, key -> {
            if (cache.getIfPresent(key) != null) {
                return true;
            }
            cache.put(key, Boolean.TRUE);
            return false;
        }, cache::invalidate);
    }

    /** Least recently used, exactly, with {@code capacity} entries. */
    public static OptimalHitRatio.Result lru(long[] trace, int capacity, int measureFrom) {
        OptimalHitRatio.checkArguments(trace, capacity, measureFrom);
        Map<Long, Boolean> cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
        return replay(trace, measureFrom, key -> cache.putIfAbsent(key, Boolean.TRUE) != null, cache::remove);
    }

    /**
     * @param read  whether the key was cached; it is afterwards either way
     * @param write drops the key
     */
    private static OptimalHitRatio.Result replay(long[] trace, int measureFrom, LongPredicate read, LongConsumer write) {
        long reads = 0;
        long hits = 0;
        for (int i = 0; i < trace.length; i++) {
            long event = trace[i];
            if (event > 0) {
                boolean hit = read.test(event);
                if (i >= measureFrom) {
                    reads++;
                    hits += hit ? 1 : 0;
                }
            } else {
                write.accept(-event);
            }
        }
        return new OptimalHitRatio.Result(reads, hits);
    }
}
