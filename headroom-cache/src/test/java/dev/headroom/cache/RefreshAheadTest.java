package dev.headroom.cache;

import static dev.headroom.cache.Waits.await;
import static dev.headroom.cache.Waits.sleep;
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

/** XFetch refresh-ahead: a value near its expiry is reloaded early by one reader while the others keep reading it. */
class RefreshAheadTest {

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

    @Test
    void refreshAheadNeedsL2() {
        assertThatThrownBy(() -> TieredCache.<Long, String>builder("x", Codec.utf8()).l1(1, Duration.ofSeconds(1))
                .refreshAhead(1).build()).hasMessageContaining("refreshAhead(...) refreshes L2 entries");
        assertThatThrownBy(() -> TieredCache.builder("x", Codec.utf8()).refreshAhead(0)).hasMessageContaining("beta must be in (0, 100]");
    }
}
