package dev.headroom.cache;

import dev.headroom.testkit.Await;

import static dev.headroom.testkit.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Against a real (embedded) Redis; each test has caches of its own name, so keys never collide. */
class TieredCacheTest {
    private final List<TieredCache<?, ?>> opened = new ArrayList<>();
    private String name;

    @org.junit.jupiter.api.BeforeEach
    void name(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void close() {
        opened.forEach(TieredCache::close);
    }

    private TieredCacheBuilder<Long, String> builder() {
        return TieredCache.<Long, String>builder(name, Codec.utf8());
    }

    private TieredCache<Long, String> open(TieredCacheBuilder<Long, String> b) {
        TieredCache<Long, String> c = b.build();
        opened.add(c);
        return c;
    }

    private TieredCache<Long, String> bothTiers() {
        return open(builder().l1(1000, Duration.ofMinutes(1)).l2(TestRedis.client(), Duration.ofMinutes(5)).invalidations(Long::valueOf));
    }

    /** A loader that counts its calls and answers "v" + key. */
    private static final class CountingLoader implements Function<Long, String> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String apply(Long key) {
            calls.incrementAndGet();
            return "v" + key;
        }
    }

    @Test
    void readThroughLoadsOnceThenAnswersFromL1() {
        TieredCache<Long, String> cache = open(builder().l1(1000, Duration.ofMinutes(1)).l2(TestRedis.client(), Duration.ofMinutes(5))
                .invalidations(Long::valueOf).recordStats());
        CountingLoader loader = new CountingLoader();
        assertThat(cache.get(1L, loader)).isEqualTo("v1");
        assertThat(cache.get(1L, loader)).isEqualTo("v1");
        assertThat(cache.get(1L, loader)).isEqualTo("v1");
        assertThat(loader.calls).hasValue(1);
        CacheStats s = cache.stats();
        assertThat(s.l1Hits()).isEqualTo(2);
        assertThat(s.l1Misses()).isEqualTo(1);
        assertThat(s.loads()).isEqualTo(1);
        assertThat(s.hitRatio()).isEqualTo(2 / 3.0);
        assertThat(bothTiers().stats().l1Hits()).as("not counted without recordStats()").isEqualTo(-1);
    }

    @Test
    void anotherInstanceFindsTheValueInL2() {
        TieredCache<Long, String> a = bothTiers();
        TieredCache<Long, String> b = bothTiers();
        CountingLoader loader = new CountingLoader();
        a.get(7L, loader);
        assertThat(b.get(7L, loader)).isEqualTo("v7");
        assertThat(loader.calls).hasValue(1);
        assertThat(b.stats().l2Hits()).isEqualTo(1);
        assertThat(b.getIfPresent(7L)).isEqualTo("v7");
        assertThat(b.getIfPresent(8L)).isNull();
    }

    @Test
    void getIfPresentLocallyAnswersFromL1AloneAndCountsOnlyHits() {
        TieredCache<Long, String> a = open(builder().l1(1000, Duration.ofMinutes(1)).l2(TestRedis.client(), Duration.ofMinutes(5))
                .invalidations(Long::valueOf).recordStats());
        TieredCache<Long, String> b = bothTiers();
        CountingLoader loader = new CountingLoader();
        b.get(3L, loader);
        assertThat(a.getIfPresentLocally(3L)).as("in L2 only: Redis is not asked").isNull();
        a.get(3L, loader);
        assertThat(a.getIfPresentLocally(3L)).isEqualTo("v3");
        a.get(404L, key -> null);
        assertThat(a.getIfPresentLocally(404L)).as("cached as absent").isNull();
        assertThat(open(TieredCache.<Long, String>builder(name + "-l2", Codec.utf8()).l2(TestRedis.client(), Duration.ofMinutes(1)))
                .getIfPresentLocally(3L)).as("no L1").isNull();
        CacheStats s = a.stats();
        assertThat(s.l1Hits()).isEqualTo(1);
        assertThat(s.l1Misses()).as("only get's misses").isEqualTo(2);
        a.invalidate(3L);
        assertThat(a.getIfPresentLocally(3L)).isNull();
    }

    @Test
    void concurrentMissesOnOneKeyLoadOnce() throws Exception {
        TieredCache<Long, String> cache = bothTiers();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Function<Long, String> slow = key -> {
            calls.incrementAndGet();
            await(release);
            return "slow" + key;
        };
        int readers = 16;
        try (ExecutorService pool = Executors.newFixedThreadPool(readers)) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                answers.add(pool.submit(() -> cache.get(3L, slow)));
            }
            // wait until every reader is either loading or waiting for the load
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cache.stats().coalesced() < readers - 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            release.countDown();
            for (Future<String> f : answers) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("slow3");
            }
        }
        assertThat(calls).hasValue(1);
        assertThat(cache.stats().coalesced()).isEqualTo(readers - 1);
    }

    @Test
    void absentIsCachedForTheNegativeTtlInBothTiers() throws Exception {
        TieredCache<Long, String> a = open(builder().l1(100, Duration.ofMinutes(1)).l2(TestRedis.client(), Duration.ofMinutes(1))
                .negativeTtl(Duration.ofMillis(300)).ttlJitter(0).invalidations(Long::valueOf));
        TieredCache<Long, String> b = open(builder().l1(100, Duration.ofMinutes(1)).l2(TestRedis.client(), Duration.ofMinutes(1))
                .negativeTtl(Duration.ofMillis(300)).ttlJitter(0).invalidations(Long::valueOf));
        AtomicInteger calls = new AtomicInteger();
        Function<Long, String> nothing = key -> {
            calls.incrementAndGet();
            return null;
        };
        assertThat(a.get(404L, nothing)).isNull();
        assertThat(a.get(404L, nothing)).isNull();
        assertThat(b.get(404L, nothing)).isNull(); // "absent" came from L2
        assertThat(calls).hasValue(1);
        assertThat(a.l2TtlMillis(404L)).isBetween(1L, 300L);
        Thread.sleep(400);
        assertThat(a.get(404L, nothing)).isNull();
        assertThat(calls).hasValue(2);
    }

    @Test
    void ttlsAreSpreadByTheJitter() {
        TieredCache<Long, String> jittered = open(builder().l2(TestRedis.client(), Duration.ofSeconds(100)).ttlJitter(0.2));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long k = 0; k < 200; k++) {
            jittered.put(k, "x");
            long ttl = jittered.l2TtlMillis(k);
            assertThat(ttl).isBetween(79_000L, 120_000L);
            min = Math.min(min, ttl);
            max = Math.max(max, ttl);
        }
        assertThat(min).isLessThan(85_000);   // 200 uniform draws over 80..120 s reach both ends
        assertThat(max).isGreaterThan(115_000);

        TieredCache<Long, String> exact = open(TieredCache.<Long, String>builder(name + "-exact", Codec.utf8())
                .l2(TestRedis.client(), Duration.ofSeconds(100)).ttlJitter(0));
        exact.put(1L, "x");
        assertThat(exact.l2TtlMillis(1L)).isBetween(99_000L, 100_000L);
        exact.invalidateAll();
    }

    @Test
    void invalidateRemovesFromBothTiers() {
        TieredCache<Long, String> a = bothTiers();
        TieredCache<Long, String> b = open(builder().l2(TestRedis.client(), Duration.ofMinutes(5)));
        CountingLoader loader = new CountingLoader();
        a.get(5L, loader);
        a.invalidate(5L);
        assertThat(b.getIfPresent(5L)).isNull();
        a.get(5L, loader);
        assertThat(loader.calls).hasValue(2);
    }

    @Test
    void aLoadThatAnInvalidationOvertookIsReturnedButNotStored() throws Exception {
        TieredCache<Long, String> cache = bothTiers();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> database = new AtomicReference<>("old");
        Function<Long, String> slowRead = key -> {
            String read = database.get(); // the read happens before the write below...
            loading.countDown();
            await(release);
            return read;
        };
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> reader = pool.submit(() -> cache.get(9L, slowRead));
            assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
            database.set("new");     // ...the write and its invalidation happen while the load runs
            cache.invalidate(9L);
            release.countDown();
            assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("old");
        }
        assertThat(cache.getIfPresent(9L)).isNull(); // "old" was not stored over the invalidation
        assertThat(cache.get(9L, key -> database.get())).isEqualTo("new");
    }

    @Test
    void aFailingLoaderFailsEveryWaiterAndCachesNothing() {
        TieredCache<Long, String> cache = bothTiers();
        Function<Long, String> broken = key -> {
            throw new IllegalStateException("database down");
        };
        assertThatThrownBy(() -> cache.get(11L, broken)).isInstanceOf(IllegalStateException.class).hasMessage("database down");
        assertThat(cache.getIfPresent(11L)).isNull();
        assertThat(cache.get(11L, new CountingLoader())).isEqualTo("v11");
    }

    @Test
    void whenRedisDoesNotAnswerInTimeTheLoaderServesAndNothingFails() {
        TieredCache<Long, String> cache = open(builder().l1(100, Duration.ofMinutes(1))
                .l2(TestRedis.client(), Duration.ofMinutes(1)).l2Timeout(Duration.ofNanos(1)).invalidations(Long::valueOf));
        CountingLoader loader = new CountingLoader();
        assertThat(cache.get(12L, loader)).isEqualTo("v12");
        assertThat(cache.get(12L, loader)).isEqualTo("v12"); // from L1
        assertThat(loader.calls).hasValue(1);
        assertThat(cache.stats().l2Errors()).isPositive();
    }

    @Test
    void eitherTierCanBeOff() {
        TieredCache<Long, String> l1Only = open(builder().l1(10, Duration.ofMinutes(1)));
        TieredCache<Long, String> l2Only = open(TieredCache.<Long, String>builder(name + "-l2", Codec.utf8())
                .l2(TestRedis.client(), Duration.ofMinutes(1)));
        CountingLoader loader = new CountingLoader();
        l1Only.get(1L, loader);
        l1Only.get(1L, loader);
        l2Only.get(1L, loader);
        l2Only.get(1L, loader);
        assertThat(loader.calls).hasValue(2);
        assertThat(l2Only.stats().l2Hits()).isEqualTo(1);
        assertThat(l2Only.stats().l1Misses()).isEqualTo(2);
        l2Only.invalidateAll();
    }

    @Test
    void invalidateAllClearsThisCacheOnly() {
        TieredCache<Long, String> mine = bothTiers();
        TieredCache<Long, String> other = open(TieredCache.<Long, String>builder(name + "-other", Codec.utf8())
                .l2(TestRedis.client(), Duration.ofMinutes(1)));
        for (long k = 0; k < 2500; k++) { // more than one SCAN page
            mine.put(k, "m");
        }
        other.put(1L, "o");
        mine.invalidateAll();
        assertThat(mine.getIfPresent(0L)).isNull();
        assertThat(mine.getIfPresent(2499L)).isNull();
        assertThat(other.getIfPresent(1L)).isEqualTo("o");
        other.invalidateAll();
    }

    @Test
    void l1ServesAtMostItsTtlAfterAChangeElsewhere() throws Exception {
        TieredCache<Long, String> a = open(builder().l1(100, Duration.ofMillis(300)).l2(TestRedis.client(), Duration.ofMinutes(1))
                .ttlJitter(0).incoherentL1());
        TieredCache<Long, String> b = open(builder().l2(TestRedis.client(), Duration.ofMinutes(1)));
        a.put(20L, "before");
        b.put(20L, "after");                    // another instance changes L2; nothing tells a's L1 (yet)
        assertThat(a.getIfPresent(20L)).isEqualTo("before");
        Thread.sleep(350);
        assertThat(a.getIfPresent(20L)).isEqualTo("after");
    }

    @Test
    void loadsOnDifferentKeysRespectTheConcurrencyLimit() throws Exception {
        TieredCache<Long, String> cache = open(builder().l1(1000, Duration.ofMinutes(1)).maxConcurrentLoads(4));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Function<Long, String> slow = key -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return "v" + key;
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<String>> answers = new ArrayList<>();
            for (long k = 0; k < 32; k++) {
                long key = k;
                answers.add(pool.submit(() -> cache.get(key, slow)));
            }
            for (int k = 0; k < 32; k++) {
                assertThat(answers.get(k).get(10, TimeUnit.SECONDS)).isEqualTo("v" + k);
            }
        }
        assertThat(peak).hasValue(4);
        assertThat(cache.stats().loadsQueued()).isPositive();
        assertThatThrownBy(() -> builder().maxConcurrentLoads(0)).hasMessage("maxConcurrentLoads must be at least 1, was 0");
    }

    @Test
    void badConfigurationSaysWhatToChange() {
        assertThatThrownBy(() -> TieredCache.builder("a b", Codec.utf8())).hasMessage("name must be letters, digits, '_', '.' or '-' (it prefixes Redis keys), was 'a b'");
        assertThatThrownBy(() -> TieredCache.builder("x", Codec.utf8()).build()).hasMessage("cache 'x' has no tier: call l1(...), l2(...) or both");
        assertThatThrownBy(() -> TieredCache.builder("x", Codec.utf8()).l1(0, Duration.ofSeconds(1))).hasMessage("l1MaxEntries must be at least 1, was 0");
        assertThatThrownBy(() -> TieredCache.builder("x", Codec.utf8()).l1(1, Duration.ZERO)).hasMessage("l1Ttl must be positive, was 0 ms");
        assertThatThrownBy(() -> TieredCache.builder("x", Codec.utf8()).ttlJitter(1)).hasMessage("ttlJitter must be at least 0 and below 1, was 1.0");
        assertThatThrownBy(() -> TieredCache.builder("x", Codec.utf8()).negativeTtl(Duration.ofSeconds(-1))).hasMessage("negativeTtl must be positive, was -1000 ms");
        assertThatThrownBy(() -> bothTiers().put(1L, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TieredCache.<Long, String>builder("x", Codec.utf8()).l1(1, Duration.ofSeconds(1))
                .l2(TestRedis.client(), Duration.ofSeconds(1)).build()).hasMessageStartingWith("cache 'x' has L1 and L2: call invalidations(parseKey)");
        assertThatThrownBy(() -> TieredCache.<Long, String>builder("x", Codec.utf8()).l1(1, Duration.ofSeconds(1))
                .invalidations(Long::valueOf).build()).hasMessageContaining("use invalidations(redisClient, parseKey)");
        assertThatThrownBy(() -> TieredCache.<Long, String>builder("x", Codec.utf8()).l2(TestRedis.client(), Duration.ofSeconds(1))
                .invalidations(Long::valueOf).build()).hasMessageContaining("they need l1(...)");
        assertThatThrownBy(() -> TieredCache.<Long, String>builder("x", Codec.utf8()).l2(TestRedis.client(), Duration.ofSeconds(1))
                .lruL1().build()).hasMessageContaining("lruL1() changes L1's eviction, so it needs l1(...)");
    }

    @Test
    void warmingFillsL2WhereItIsEmptyAndNeverOverwrites() {
        TieredCache<Long, String> cache = bothTiers();
        cache.put(2L, "newer");
        java.util.Map<Long, String> values = new java.util.HashMap<>();
        for (long k = 1; k <= 500; k++) {
            values.put(k, "v" + k);
        }
        assertThat(cache.warm(values)).isEqualTo(499);
        TieredCache<Long, String> other = bothTiers();
        CountingLoader loader = new CountingLoader();
        for (long k = 1; k <= 500; k++) {
            assertThat(other.get(k, loader)).isEqualTo(k == 2 ? "newer" : "v" + k);
        }
        assertThat(loader.calls).as("every value came from L2").hasValue(0);
        assertThat(cache.l2TtlMillis(1L)).as("warmed values expire like loaded ones").isPositive();
    }

    /** The shop warms its products a page of 1,000 at a time: every page must land, not only the first ones. */
    @Test
    void warmingInManyBatchesStoresEveryBatch() {
        TieredCache<Long, String> cache = bothTiers();
        int stored = 0;
        for (long page = 0; page < 10; page++) {
            java.util.Map<Long, String> values = new java.util.HashMap<>();
            for (long k = page * 1000 + 1; k <= (page + 1) * 1000; k++) {
                values.put(k, "v" + k);
            }
            stored += cache.warm(values);
        }
        assertThat(stored).isEqualTo(10_000);
        assertThat(cache.stats().l2Errors()).isZero();
    }

    @Test
    void lruL1EvictsTheLeastRecentlyUsedAndCountsHits() {
        TieredCache<Long, String> cache = open(builder().l1(2, Duration.ofMinutes(1)).lruL1());
        CountingLoader loader = new CountingLoader();
        cache.get(1L, loader);
        cache.get(2L, loader);
        cache.get(1L, loader); // 1 is now more recent than 2
        cache.get(3L, loader); // evicts 2
        assertThat(loader.calls).hasValue(3);
        cache.get(1L, loader);
        cache.get(3L, loader);
        assertThat(loader.calls).as("1 and 3 stayed").hasValue(3);
        cache.get(2L, loader);
        assertThat(loader.calls).as("2 was evicted").hasValue(4);
        assertThat(cache.stats().l1Hits()).isEqualTo(3);
    }

    @Test
    void lruL1EntriesExpireAfterTheirTtl() throws InterruptedException {
        TieredCache<Long, String> cache = open(builder().l1(10, Duration.ofMillis(50)).lruL1());
        CountingLoader loader = new CountingLoader();
        cache.get(1L, loader);
        cache.get(1L, loader);
        assertThat(loader.calls).hasValue(1);
        Thread.sleep(80);
        cache.get(1L, loader);
        assertThat(loader.calls).hasValue(2);
    }

    @Test
    void l1OnlyInstancesStayCoherentOverTheirOwnRedis() {
        TieredCache<Long, String> a = open(builder().l1(100, Duration.ofMinutes(1)).invalidations(TestRedis.client(), Long::valueOf));
        TieredCache<Long, String> b = open(builder().l1(100, Duration.ofMinutes(1)).invalidations(TestRedis.client(), Long::valueOf));
        assertThat(b.get(1L, k -> "old")).isEqualTo("old");
        a.invalidate(1L);
        Await.eventually(() -> "new".equals(b.get(1L, k -> "new")));
        assertThat(b.stats().invalidationsReceived()).isPositive();
    }

    @Test
    void withoutCoalescingConcurrentMissesEachLoad() throws Exception {
        TieredCache<Long, String> cache = open(builder().l1(100, Duration.ofMinutes(1)).l2(TestRedis.client(), Duration.ofMinutes(1))
                .invalidations(Long::valueOf).noCoalescing());
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Function<Long, String> slow = key -> {
            calls.incrementAndGet();
            Await.await(release);
            return "v" + key;
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> cache.get(7L, slow)));
            }
            Await.eventually(() -> calls.get() == 8);
            release.countDown();
            for (Future<String> f : answers) {
                assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("v7");
            }
        }
        assertThat(cache.stats().loads()).isEqualTo(8);
        assertThat(cache.stats().coalesced()).isZero();
        assertThat(cache.get(7L, slow)).as("the first load stored its value").isEqualTo("v7");
        assertThat(calls).hasValue(8);
    }
}
