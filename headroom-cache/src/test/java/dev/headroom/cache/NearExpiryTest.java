package dev.headroom.cache;

import static dev.headroom.testkit.Await.await;
import static dev.headroom.testkit.Await.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Near and past expiry: XFetch refresh-ahead, and serving an expired value while it reloads (but never after a write). */
class NearExpiryTest {

    @Test
    void aReaderRefreshesEarlyAndTheOthersDoNotWaitForIt() throws Exception {
        // beta 100 and a 200 ms load: each read refreshes with probability exp(-remaining / 20 s), about
        // 0.8 with 5 s left, so the refresher below starts one within a few reads, well before expiry
        try (TieredCache<Long, String> cache = TieredCache.<Long, String>builder("xfetch-" + System.nanoTime(), Codec.utf8())
                .l2(TestRedis.client(), Duration.ofSeconds(5)).ttlJitter(0).refreshAhead(100).build()) {
            AtomicInteger version = new AtomicInteger();
            assertThat(cache.get(1L, key -> {
                sleep(200);                                  // the recorded load time XFetch scales by
                return "v" + version.incrementAndGet();
            })).isEqualTo("v1");

            CountDownLatch refreshing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
                Future<String> refresher = pool.submit(() -> {
                    String v;
                    do {
                        v = cache.get(1L, key -> {
                            refreshing.countDown();
                            await(release);
                            return "v" + version.incrementAndGet();
                        });
                    } while (v.equals("v1"));
                    return v;
                });
                assertThat(refreshing.await(10, TimeUnit.SECONDS)).as("an early refresh started").isTrue();
                // while the refresh is blocked, another reader gets the current value at once
                try (ExecutorService other = Executors.newSingleThreadExecutor()) {
                    assertThat(other.submit(() -> cache.get(1L, key -> "a second load")).get(5, TimeUnit.SECONDS)).isEqualTo("v1");
                }
                release.countDown();
                assertThat(refresher.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
            }
            assertThat(cache.stats().earlyRefreshes()).isPositive();
        }
    }

    @Test
    void withoutRefreshAheadAValueIsServedUntilItExpires() {
        try (TieredCache<Long, String> cache = TieredCache.<Long, String>builder("no-xfetch-" + System.nanoTime(), Codec.utf8())
                .l2(TestRedis.client(), Duration.ofSeconds(60)).build()) {
            AtomicInteger loads = new AtomicInteger();
            for (int i = 0; i < 200; i++) {
                cache.get(1L, key -> {
                    loads.incrementAndGet();
                    sleep(200);
                    return "v";
                });
            }
            assertThat(loads).hasValue(1);
            assertThat(cache.stats().earlyRefreshes()).isZero();
        }
    }

    /** L2 entries live 300 ms, then 10 s more as stale; with an L1 whose TTL (10 min) outlives both. */
    private static TieredCache<Long, String> staleServing(String name, boolean withL1) {
        TieredCacheBuilder<Long, String> b = TieredCache.<Long, String>builder(name, Codec.utf8())
                .l2(TestRedis.client(), Duration.ofMillis(300)).ttlJitter(0).serveStale(Duration.ofSeconds(10));
        if (withL1) {
            b.l1(100, Duration.ofMinutes(10)).invalidations(Long::valueOf);
        }
        return b.build();
    }

    /**
     * Runs {@code read} (within 5 s) while {@code reloader} is blocked loading key 1, then lets the load
     * finish with {@code newValue}; returns what {@code read} answered.
     */
    private static String whileReloading(TieredCache<Long, String> reloader, String newValue,
                                         java.util.concurrent.Callable<String> read) throws Exception {
        CountDownLatch reloading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<String> load = pool.submit(() -> reloader.get(1L, key -> {
                reloading.countDown();
                await(release);
                return newValue;
            }));
            assertThat(reloading.await(10, TimeUnit.SECONDS)).isTrue();
            String answer = pool.submit(read).get(5, TimeUnit.SECONDS);
            release.countDown();
            assertThat(load.get(10, TimeUnit.SECONDS)).isEqualTo(newValue);
            return answer;
        }
    }

    @Test
    void anExpiredValueIsServedWhileAnotherInstanceReloadsIt() throws Exception {
        String name = "stale-" + System.nanoTime();
        try (TieredCache<Long, String> a = staleServing(name, false); TieredCache<Long, String> b = staleServing(name, true)) {
            a.get(1L, key -> "v1");
            sleep(400);                                       // v1 has expired; Redis keeps it for the grace
            // a holds the lease; b would wait for its value, and gets the expired one at once instead
            assertThat(whileReloading(a, "v2", () -> b.get(1L, key -> "b's own load"))).isEqualTo("v1");
            assertThat(b.stats().staleServes()).isEqualTo(1);
            // the expired value was not kept in b's L1 (with its ten-minute TTL): b now reads v2
            assertThat(b.get(1L, key -> "b's own load")).isEqualTo("v2");
            assertThat(b.getIfPresent(1L)).isEqualTo("v2");
            a.invalidateAll();
        }
    }

    @Test
    void nothingIsServedStaleAfterAWrite() throws Exception {
        String name = "stale-write-" + System.nanoTime();
        try (TieredCache<Long, String> a = staleServing(name, false); TieredCache<Long, String> b = staleServing(name, true)) {
            a.get(1L, key -> "v1");
            sleep(400);
            assertThat(b.getIfPresent(1L)).as("expired values are not answered as present").isNull();
            a.invalidate(1L);                                 // a write: the expired value goes too
            // b finds nothing to serve stale: it waits for a's value, then loads its own; never v1
            assertThat(whileReloading(a, "after the write", () -> b.get(1L, key -> "b's own load"))).isNotEqualTo("v1");
            assertThat(b.stats().staleServes()).isZero();
            a.invalidateAll();
        }
    }

    @Test
    void refreshAheadNeedsL2() {
        assertThatThrownBy(() -> TieredCache.<Long, String>builder("x", Codec.utf8()).l1(1, Duration.ofSeconds(1))
                .refreshAhead(1).build()).hasMessageContaining("refreshAhead(...) refreshes L2 entries");
        assertThatThrownBy(() -> TieredCache.builder("x", Codec.utf8()).refreshAhead(0)).hasMessage("refreshAhead must be in (0, 100], was 0.0");
        assertThatThrownBy(() -> TieredCache.<Long, String>builder("x", Codec.utf8()).l1(1, Duration.ofSeconds(1))
                .serveStale(Duration.ofSeconds(1)).build()).hasMessageContaining("serveStale(...) keeps L2 entries past expiry");
    }
}
