package dev.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random sequences of reads, writes (write-through and invalidate-on-write) and lost
 * invalidation messages over two instances of one cache, checked against a model database: no read
 * may return a version older than the newest one written {@link #BOUND} before the read began. The
 * L1 TTL is ten minutes, so only the invalidation protocol can keep that promise. Each seed is
 * printed on failure and replays the same sequence.
 */
class CoherencePropertyTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    /** One heartbeat (a lost last message) plus delivery slack on a busy 2-core machine. */
    private static final long BOUND = Duration.ofMillis(400).toNanos();
    private static final int KEYS = 5;
    private static final int OPERATIONS = 120;

    private record Write(long doneAt, int version) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void noReadIsOlderThanTheBound(long seed) throws Exception {
        String name = "property-" + seed + "-" + System.nanoTime();
        List<TieredCache<Long, String>> nodes = List.of(instance(name), instance(name));
        Map<Long, Integer> database = new ConcurrentHashMap<>();
        Map<Long, List<Write>> history = new HashMap<>();
        SplittableRandom random = new SplittableRandom(seed);
        try {
            for (int op = 0; op < OPERATIONS; op++) {
                long key = random.nextInt(KEYS);
                TieredCache<Long, String> node = nodes.get(random.nextInt(2));
                int dice = random.nextInt(100);
                if (dice < 30) {
                    int version = database.merge(key, 1, Integer::sum);
                    if (random.nextInt(10) == 0) {
                        node.dropNextInvalidation();
                    }
                    if (random.nextBoolean()) {
                        node.put(key, key + ":" + version);   // write-through
                    } else {
                        node.invalidate(key);                 // cache-aside: write the database, drop the key
                    }
                    history.computeIfAbsent(key, k -> new ArrayList<>()).add(new Write(System.nanoTime(), version));
                } else {
                    long readAt = System.nanoTime();
                    String value = node.get(key, k -> k + ":" + database.getOrDefault(k, 0));
                    int version = Integer.parseInt(value.substring(value.indexOf(':') + 1));
                    int required = 0;
                    for (Write w : history.getOrDefault(key, List.of())) {
                        if (w.doneAt() <= readAt - BOUND) {
                            required = Math.max(required, w.version());
                        }
                    }
                    assertThat(version).as("seed %d, operation %d: key %d read version %d, but version %d was written"
                            + " more than %d ms before the read", seed, op, key, version, required, BOUND / 1_000_000)
                            .isGreaterThanOrEqualTo(required);
                }
                Thread.sleep(random.nextInt(25));
            }
        } finally {
            nodes.get(0).invalidateAll();
            nodes.forEach(TieredCache::close);
        }
    }

    private static TieredCache<Long, String> instance(String name) {
        return TieredCache.<Long, String>builder(name, Codec.utf8())
                .l1(100, Duration.ofMinutes(10))
                .l2(TestRedis.client(), Duration.ofMinutes(10))
                .invalidations(Long::valueOf)
                .heartbeat(HEARTBEAT)
                .build();
    }
}
