package dev.headroom.cache;

import static dev.headroom.testkit.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Two instances of one cache on one Redis, as two shop nodes would have: a change through one must
 * leave the other's L1, including when the invalidation message is lost or the subscription drops.
 */
class CoherenceTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private final List<TieredCache<?, ?>> opened = new ArrayList<>();
    private String name;
    private TieredCache<Long, String> a;
    private TieredCache<Long, String> b;

    @BeforeEach
    void twoInstances(TestInfo info) {
        name = info.getTestMethod().orElseThrow().getName();
        a = instance();
        b = instance();
    }

    @AfterEach
    void close() {
        a.invalidateAll();
        opened.forEach(TieredCache::close);
    }

    private TieredCache<Long, String> instance() {
        return instance(name, HEARTBEAT);
    }

    private TieredCache<Long, String> instance(String cacheName, Duration heartbeat) {
        TieredCache<Long, String> c = TieredCache.<Long, String>builder(cacheName, Codec.utf8())
                .l1(1000, Duration.ofMinutes(10))          // long: only invalidations can make these L1s drop a key
                .l2(TestRedis.client(), Duration.ofMinutes(10))
                .invalidations(Long::valueOf)
                .heartbeat(heartbeat)
                .build();
        opened.add(c);
        return c;
    }

    @Test
    void aWriteThroughOneInstanceLeavesTheOthersL1() {
        assertThat(b.get(1L, k -> "old")).isEqualTo("old");
        a.put(1L, "new");
        eventually(() -> "new".equals(b.getIfPresent(1L)));
        assertThat(b.stats().invalidationsReceived()).isPositive();
        assertThat(b.stats().invalidationLagMaxMs()).isLessThan(1000);
        assertThat(b.stats().invalidationGaps()).isZero();
        a.invalidate(1L);
        eventually(() -> b.getIfPresent(1L) == null);
    }

    @Test
    void aLostInvalidationIsNoticedAtTheNextOneAndFlushesL1() {
        b.get(1L, k -> "old1");
        b.get(2L, k -> "old2");
        a.dropNextInvalidation();
        a.put(1L, "new1");                                   // its message never arrives
        assertThat(b.getIfPresent(1L)).isEqualTo("old1");    // b cannot know yet
        a.put(2L, "new2");                                   // this one arrives, numbered one too high
        eventually(() -> "new2".equals(b.getIfPresent(2L)));
        assertThat(b.getIfPresent(1L)).isEqualTo("new1");    // the whole L1 went, so key 1 came from L2
        assertThat(b.stats().invalidationGaps()).isEqualTo(1);
    }

    @Test
    void aLostLastInvalidationIsNoticedByTheHeartbeat() {
        b.get(3L, k -> "old");
        a.dropNextInvalidation();
        a.put(3L, "new");                                    // lost, and no other write follows
        eventually(() -> "new".equals(b.getIfPresent(3L)));  // a's next heartbeat shows b the gap
        assertThat(b.stats().invalidationGaps()).isEqualTo(1);
    }

    @Test
    void aDroppedSubscriptionFlushesL1() {
        b.get(4L, k -> "old");
        long flushesBefore = b.stats().l1Flushes();
        try (StatefulRedisConnection<String, String> admin = TestRedis.client().connect()) {
            admin.sync().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()); // every subscriber's connection
        }
        a.put(4L, "new");                                    // may well be published while b is not subscribed
        eventually(() -> b.stats().l1Flushes() > flushesBefore && "new".equals(b.getIfPresent(4L)));
    }

    @Test
    void concurrentWritersAreNotMistakenForLostMessages() throws Exception {
        // Writers on many threads, with a heartbeat every millisecond going out meanwhile: a message
        // numbered n+1 that overtook n, or a heartbeat carrying a number whose message was not sent yet,
        // would look like a loss to the receiver and flush its whole L1 for nothing. The lab's L1 lost
        // hit ratio to this. (With a 100 ms heartbeat the heartbeat half of the race never showed.)
        TieredCache<Long, String> writer = instance(name + "-busy", Duration.ofMillis(1));
        TieredCache<Long, String> reader = instance(name + "-busy", Duration.ofMillis(1));
        int threads = 8;
        int perThread = 500;
        long flushesBefore = reader.stats().l1Flushes();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long first = 1_000L * (t + 1);
                writers.add(pool.submit(() -> {
                    for (long key = first; key < first + perThread; key++) {
                        writer.invalidate(key);
                    }
                }));
            }
            for (Future<?> w : writers) {
                w.get(); // a writer's failure fails the test here, not as a timeout below
            }
        }
        eventually(() -> reader.stats().invalidationsReceived() == threads * perThread);
        Thread.sleep(2 * HEARTBEAT.toMillis()); // heartbeats after the last message must not find a gap either
        assertThat(reader.stats().invalidationGaps()).isZero();
        assertThat(reader.stats().l1Flushes()).isEqualTo(flushesBefore);
    }
}
