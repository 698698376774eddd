package dev.headroom.cache;

import dev.headroom.testkit.FakeClock;

import static dev.headroom.testkit.Await.await;
import static dev.headroom.testkit.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Time moved by the test, not slept through: every expiry and deadline the cache keeps follows its
 * ticker. Redis keeps its own (real) time, so an L2 value the ticker has expired is still in Redis.
 */
class TickerTest {
    /** Time that moves only when told to. */
    private final FakeClock ticker = new FakeClock(Duration.ZERO);
    private final List<TieredCache<?, ?>> opened = new ArrayList<>();
    private String name;

    @BeforeEach
    void name(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    }

    @AfterEach
    void close() {
        opened.forEach(TieredCache::close);
    }

    private TieredCache<Long, String> open(TieredCacheBuilder<Long, String> b) {
        TieredCache<Long, String> c = b.ticker(ticker::read).build();
        opened.add(c);
        return c;
    }

    private TieredCacheBuilder<Long, String> builder() {
        return TieredCache.<Long, String>builder(name, Codec.utf8());
    }

    /** Counts calls; answers "v" + key + "." + call, so a reload is told apart from the first load. */
    private static final class Loader implements Function<Long, String> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public String apply(Long key) {
            return "v" + key + "." + calls.incrementAndGet();
        }
    }

    @Test
    void l1ValuesAndAbsentKeysExpireByTheTicker() {
        TieredCache<Long, String> cache = open(builder().l1(100, Duration.ofSeconds(30)).negativeTtl(Duration.ofSeconds(5)));
        Loader loader = new Loader();
        AtomicInteger absentLoads = new AtomicInteger();
        Function<Long, String> nothing = key -> {
            absentLoads.incrementAndGet();
            return null;
        };
        assertThat(cache.get(1L, loader)).isEqualTo("v1.1");
        assertThat(cache.get(404L, nothing)).isNull();

        ticker.advance(Duration.ofSeconds(4));
        assertThat(cache.get(404L, nothing)).isNull();
        assertThat(absentLoads).as("absent is remembered for the negative TTL").hasValue(1);

        ticker.advance(Duration.ofSeconds(2));            // 6 s: past the negative TTL, within the L1 TTL
        assertThat(cache.get(404L, nothing)).isNull();
        assertThat(absentLoads).hasValue(2);
        assertThat(cache.get(1L, loader)).isEqualTo("v1.1");

        ticker.advance(Duration.ofSeconds(25));           // 31 s: past the L1 TTL
        assertThat(cache.get(1L, loader)).isEqualTo("v1.2");
    }

    @Test
    void theLruL1ExpiresByTheTickerToo() {
        TieredCache<Long, String> cache = open(builder().l1(10, Duration.ofSeconds(30)).lruL1());
        Loader loader = new Loader();
        cache.get(1L, loader);
        ticker.advance(Duration.ofSeconds(29));
        assertThat(cache.get(1L, loader)).isEqualTo("v1.1");
        ticker.advance(Duration.ofSeconds(1));
        assertThat(cache.get(1L, loader)).isEqualTo("v1.2");
    }

    @Test
    void anL2ValueTheTickerHasExpiredIsReloadedThoughRedisStillHoldsIt() {
        TieredCache<Long, String> cache = open(builder().l2(TestRedis.client(), Duration.ofSeconds(10)).ttlJitter(0));
        Loader loader = new Loader();
        assertThat(cache.get(1L, loader)).isEqualTo("v1.1");
        ticker.advance(Duration.ofMillis(9_999));
        assertThat(cache.getIfPresent(1L)).isEqualTo("v1.1");

        ticker.advance(Duration.ofMillis(1));             // 10 s by the ticker; a few milliseconds by Redis
        assertThat(cache.getIfPresent(1L)).as("an expired value is not answered as present").isNull();
        assertThat(cache.get(1L, loader)).isEqualTo("v1.2");
        assertThat(cache.getIfPresent(1L)).isEqualTo("v1.2");
        cache.invalidateAll();
    }

    @Test
    void refreshAheadWeighsTheRemainingTimeByTheTicker() {
        // loads take 1 s by the ticker, beta 1: a read refreshes with probability exp(-remaining / 1 s)
        TieredCache<Long, String> cache = open(builder().l2(TestRedis.client(), Duration.ofSeconds(100)).ttlJitter(0).refreshAhead(1));
        AtomicInteger loads = new AtomicInteger();
        Function<Long, String> slow = key -> {
            ticker.advance(Duration.ofSeconds(1));
            return "v" + loads.incrementAndGet();
        };
        assertThat(cache.get(1L, slow)).isEqualTo("v1");
        for (int i = 0; i < 100; i++) {                    // 100 s left: exp(-100) per read
            assertThat(cache.get(1L, slow)).isEqualTo("v1");
        }
        assertThat(cache.stats().earlyRefreshes()).isZero();

        ticker.advance(Duration.ofMillis(99_999));         // 1 ms left: 0.999 per read
        for (int i = 0; i < 50 && loads.get() == 1; i++) {
            cache.get(1L, slow);
        }
        assertThat(loads).hasValue(2);
        assertThat(cache.stats().earlyRefreshes()).isEqualTo(1);
        assertThat(cache.get(1L, slow)).isEqualTo("v2");
        cache.invalidateAll();
    }

    @Test
    void aLeaseWaitEndsWhenTheTickerPassesLeaseWait() throws Exception {
        TieredCache<Long, String> holder = open(builder().l2(TestRedis.client(), Duration.ofMinutes(1))
                .leases(Duration.ofSeconds(30), Duration.ofMillis(50)));
        TieredCache<Long, String> waiter = open(builder().l2(TestRedis.client(), Duration.ofMinutes(1))
                .leases(Duration.ofSeconds(30), Duration.ofMillis(50)));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<String> held = pool.submit(() -> holder.get(8L, key -> {
                holding.countDown();
                await(release);
                return "from-holder";
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> waited = pool.submit(() -> waiter.get(8L, key -> "from-waiter"));
            eventually(() -> waiter.stats().leaseWaits() == 1);
            Thread.sleep(300);                              // six times leaseWait in real time...
            assertThat(waited.isDone()).as("...but not by the ticker: still waiting").isFalse();

            ticker.advance(Duration.ofMillis(50));
            assertThat(waited.get(5, TimeUnit.SECONDS)).isEqualTo("from-waiter");
            release.countDown();
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("from-holder");
        }
        assertThat(waiter.get(8L, key -> "unexpected load")).as("only the holder wrote L2").isEqualTo("from-holder");
        holder.invalidateAll();
    }

    @Test
    void anOpenBreakerTriesAgainWhenTheTickerPassesItsWait() {
        CircuitBreakerConfig quick = CircuitBreakerConfig.from(TieredCacheBuilder.DEFAULT_L2_BREAKER)
                .slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofSeconds(30)).build();
        TieredCache<Long, String> cache = open(builder().l2(TestRedis.client(), Duration.ofMinutes(1))
                .l2Timeout(Duration.ofNanos(1)).l2Breaker(quick));   // nearly every command times out
        // A GET beats a 1 ns timeout when this thread is descheduled before it waits (a loaded CI machine):
        // send until the window holds enough failures, which a healthy run reaches in 4.
        for (int i = 0; i < 1_000 && cache.stats().l2Breaker() != CacheStats.BreakerState.OPEN; i++) {
            assertThat(cache.getIfPresent(1L)).isNull();           // one GET each
        }
        assertThat(cache.stats().l2Breaker()).isEqualTo(CacheStats.BreakerState.OPEN);
        long errors = cache.stats().l2Errors();

        ticker.advance(Duration.ofSeconds(29));
        cache.getIfPresent(1L);
        assertThat(cache.stats().l2Breaker()).isEqualTo(CacheStats.BreakerState.OPEN);
        assertThat(cache.stats().l2Errors()).as("refused at once, still counted").isEqualTo(errors + 1);

        ticker.advance(Duration.ofSeconds(2));
        cache.getIfPresent(1L);                                      // a trial GET (it fails: 1 of 3 trials)
        assertThat(cache.stats().l2Breaker()).isEqualTo(CacheStats.BreakerState.HALF_OPEN);
    }
}
