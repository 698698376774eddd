package dev.headroom.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.infra.Infra;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Redis dies under load (a Redis of this test's own): reads go on from L1 and the loader, none fails. */
class OutageTest {
    private static final int THREADS = 8;

    @Test
    void redisDyingUnderLoadFailsNoRead() throws Exception {
        try (Infra own = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false).stopOnShutdown(false).start()) {
            RedisClient client = RedisClient.create(own.topology().redis().uri());
            try (TieredCache<Long, String> cache = TieredCache.<Long, String>builder("outage", Codec.utf8())
                    .l1(200, Duration.ofMinutes(1))              // small: most reads miss L1 and need L2 or the loader
                    .l2(client, Duration.ofMinutes(1))
                    .invalidations(Long::valueOf)
                    .build()) {
                AtomicLong reads = new AtomicLong();
                AtomicLong errors = new AtomicLong();
                AtomicLong readsAfterDeath = new AtomicLong();
                long start = System.nanoTime();
                long death = start + TimeUnit.SECONDS.toNanos(1);
                long end = start + TimeUnit.SECONDS.toNanos(4);
                try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
                    List<Future<?>> workers = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        long seed = t;
                        workers.add(pool.submit(() -> {
                            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                            while (System.nanoTime() < end) {
                                long key = random.nextInt(2000);
                                try {
                                    String v = cache.get(key, k -> "v" + k);
                                    if (!("v" + key).equals(v)) {
                                        errors.incrementAndGet();
                                    }
                                } catch (RuntimeException e) {
                                    errors.incrementAndGet();
                                }
                                reads.incrementAndGet();
                                if (System.nanoTime() > death + TimeUnit.SECONDS.toNanos(2)) {
                                    readsAfterDeath.incrementAndGet();
                                }
                            }
                        }));
                    }
                    Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(death - System.nanoTime())));
                    try (StatefulRedisConnection<String, String> admin = client.connect()) {
                        admin.async().shutdown(false); // SHUTDOWN NOSAVE: the process exits, no reply comes
                    }
                    for (Future<?> w : workers) {
                        w.get(30, TimeUnit.SECONDS);
                    }
                }
                CacheStats s = cache.stats();
                assertThat(errors).as("failed or wrong reads").hasValue(0);
                assertThat(s.l2Errors()).as("L2 failures were met and routed around").isPositive();
                assertThat(s.l2Breaker()).isIn(CacheStats.BreakerState.OPEN, CacheStats.BreakerState.HALF_OPEN);
                assertThat(cache.l2BreakerCause()).as("why L2 is not asked, for readiness").isNotBlank();
                // with the breaker open a miss costs the loader, not a 100 ms L2 timeout: 8 threads would
                // manage fewer than 80 reads a second if every miss waited for Redis
                assertThat(readsAfterDeath.get()).as("reads in the last second").isGreaterThan(1000);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }
}
