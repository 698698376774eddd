package dev.headroom.cache;

import static dev.headroom.testkit.Await.await;
import static dev.headroom.testkit.Await.eventually;
import static dev.headroom.testkit.Await.sleep;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Cluster-wide stampede protection and stale write-back prevention with Redis leases, over two instances. */
class LeaseTest {
    private final List<TieredCache<Long, String>> opened = new ArrayList<>();
    private TieredCache<Long, String> a;
    private TieredCache<Long, String> b;

    @BeforeEach
    void twoInstances(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName();
        a = instance(name);
        b = instance(name);
    }

    @AfterEach
    void close() {
        a.invalidateAll();
        opened.forEach(TieredCache::close);
    }

    private TieredCache<Long, String> instance(String name) {
        TieredCache<Long, String> c = TieredCache.<Long, String>builder(name, Codec.utf8())
                .l1(1000, Duration.ofMinutes(10))
                .l2(TestRedis.client(), Duration.ofMinutes(10))
                .invalidations(Long::valueOf)
                .leases(Duration.ofSeconds(5), Duration.ofSeconds(2))
                .build();
        opened.add(c);
        return c;
    }

    @Test
    void aThousandConcurrentMissesAcrossTwoInstancesLoadOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        Function<Long, String> slowDatabase = key -> {
            loads.incrementAndGet();
            sleep(200);
            return "hot" + key;
        };
        List<Future<String>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < 1000; i++) {
                TieredCache<Long, String> node = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> {
                    go.await();
                    return node.get(42L, slowDatabase);
                }));
            }
            go.countDown();
            for (Future<String> f : answers) {
                assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("hot42");
            }
        }
        assertThat(loads).hasValue(1);
        // one instance loaded under the lease; the other's single flight waited on it once
        assertThat(a.stats().leaseWaits() + b.stats().leaseWaits()).isEqualTo(1);
    }

    @Test
    void aWriteDuringALoadVoidsTheLoadersLease() throws Exception {
        AtomicReference<String> database = new AtomicReference<>("old");
        CountDownLatch loaded = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Function<Long, String> slowRead = key -> {
            String read = database.get();
            loaded.countDown();
            await(release);
            return read;
        };
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> reader = pool.submit(() -> a.get(7L, slowRead)); // a holds the lease, has read "old"
            assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();
            database.set("new");
            b.dropNextInvalidation();   // so that only the lease, not a's own invalidation, can stop the write-back
            b.invalidate(7L);                                               // the write, through the other instance
            release.countDown();
            assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("old");  // answered to its reader...
        }
        TieredCache<Long, String> fresh = instance(a.name());               // ...but in no tier: a new instance loads "new"
        assertThat(fresh.get(7L, key -> database.get())).isEqualTo("new");
        assertThat(a.stats().leasesLost()).isEqualTo(1);
        assertThat(a.getIfPresent(7L)).as("a's L1 dropped the value its lost lease could not vouch for").isNotEqualTo("old");
    }

    @Test
    void aWaiterLoadsItselfWhenTheLeaseHolderIsTooSlow() throws Exception {
        TieredCache<Long, String> impatient = TieredCache.<Long, String>builder(a.name(), Codec.utf8())
                .l1(10, Duration.ofMinutes(1)).l2(TestRedis.client(), Duration.ofMinutes(1)).invalidations(Long::valueOf)
                .leases(Duration.ofSeconds(5), Duration.ofMillis(50)).build();
        opened.add(impatient);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> holder = pool.submit(() -> a.get(8L, key -> {
                holding.countDown();
                await(release);
                return "from-holder";
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(impatient.get(8L, key -> "from-waiter")).isEqualTo("from-waiter"); // waited 50 ms, then loaded
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("from-holder");
        }
        assertThat(impatient.stats().leaseWaits()).isEqualTo(1);
        assertThat(b.get(8L, key -> "unexpected load")).isEqualTo("from-holder"); // only the holder wrote L2
    }

    @Test
    void aWaiterTakesOverALeaseThatAWriteVoided() throws Exception {
        AtomicReference<String> database = new AtomicReference<>("old");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TieredCache<Long, String> writer = instance(a.name());
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<String> holder = pool.submit(() -> a.get(9L, key -> {
                String read = database.get();
                holding.countDown();
                await(release);
                return read;
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            Future<String> waiter = pool.submit(() -> b.get(9L, key -> database.get()));
            eventually(() -> b.stats().leaseWaits() == 1);
            database.set("new");
            writer.invalidate(9L);                               // voids a's lease: a will write nothing
            // b sees the lease free, takes it and loads, instead of waiting out its 2 s for a value a will never write
            assertThat(waiter.get(1, TimeUnit.SECONDS)).isEqualTo("new");
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("old");
        }
        assertThat(b.stats().leaseTakeovers()).isEqualTo(1);
        assertThat(instance(a.name()).get(9L, key -> database.get())).isEqualTo("new"); // a's "old" reached no tier
    }

    /**
     * A load voided by an invalidation stores nothing, and must give its lease back: an invalidation sent
     * without touching L2 (from an L1-only instance of the same cache) voids a's load but leaves its lease
     * in Redis, where b's next miss would otherwise wait on it.
     */
    @Test
    void aVoidedLoadGivesItsLeaseBack() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TieredCache<Long, String> messenger = TieredCache.<Long, String>builder(a.name(), Codec.utf8())
                .l1(10, Duration.ofMinutes(1)).invalidations(TestRedis.client(), Long::valueOf).build();
        opened.add(messenger);
        try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
            Future<String> holder = pool.submit(() -> a.get(10L, key -> {
                holding.countDown();
                await(release);
                return "before the write";
            }));
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
            long received = a.stats().invalidationsReceived();
            messenger.invalidate(10L);
            eventually(() -> a.stats().invalidationsReceived() > received);
            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("before the write");
        }
        assertThat(b.get(10L, key -> "after the write")).isEqualTo("after the write");
        assertThat(b.stats().leaseWaits()).as("b found the lease free").isZero();
    }

    @Test
    void aFailedLoadGivesItsLeaseBack() {
        RuntimeException down = new IllegalStateException("database down");
        assertThatThrownBy(() -> a.get(11L, key -> {
            throw down;
        })).isSameAs(down);
        assertThat(b.get(11L, key -> "loaded")).isEqualTo("loaded");
        assertThat(b.stats().leaseWaits()).as("b found the lease free").isZero();
    }
}
