package dev.headroom.benchmarks.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.headroom.cache.Codec;
import dev.headroom.cache.TieredCache;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of an L1 hit through {@link TieredCache#get} against a raw Caffeine {@code getIfPresent} on
 * a cache of the same size and expiry (both without statistics, Caffeine's default), every key present. Issue 4's goal: at most 1.1× the raw cost.
 * Run both in one session, interleaved: {@code bench/cache-l1.sh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class L1HitBenchmark {
    private static final int KEYS = 1 << 12;
    private static final Function<Long, String> NEVER = key -> {
        throw new AssertionError("every key is present: a hit never loads");
    };

    @State(Scope.Benchmark)
    public static class Caches {
        final Long[] keys = new Long[KEYS];
        Cache<Long, String> raw;
        TieredCache<Long, String> tiered;

        @Setup(Level.Trial)
        public void fill() {
            raw = Caffeine.newBuilder().maximumSize(KEYS * 2).expireAfterWrite(Duration.ofMinutes(10)).build();
            tiered = TieredCache.<Long, String>builder("bench", Codec.utf8()).l1(KEYS * 2, Duration.ofMinutes(10)).build();
            for (int i = 0; i < KEYS; i++) {
                keys[i] = (long) i;
                raw.put(keys[i], "value" + i);
                tiered.put(keys[i], "value" + i);
            }
        }

        @TearDown(Level.Trial)
        public void close() {
            tiered.close();
        }
    }

    /** Each thread walks the keys in its own order, so threads do not hit the same entry in lockstep. */
    @State(Scope.Thread)
    public static class Cursor {
        int next = (int) (Thread.currentThread().threadId() * 977);

        int key() {
            return next++ & (KEYS - 1);
        }
    }

    @Benchmark
    public String rawCaffeine(Caches c, Cursor cursor) {
        return c.raw.getIfPresent(c.keys[cursor.key()]);
    }

    @Benchmark
    public String tieredCache(Caches c, Cursor cursor) {
        return c.tiered.get(c.keys[cursor.key()], NEVER);
    }
}
