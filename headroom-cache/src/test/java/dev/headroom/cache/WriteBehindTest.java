package dev.headroom.cache;

import static dev.headroom.testkit.Await.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Write-behind through a Redis Stream on the embedded Redis, into an in-memory "database". */
class WriteBehindTest {
    private final Map<Long, String> database = new ConcurrentHashMap<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    private WriteBehind.Builder<Long, String> builder(TestInfo info, WriteBehind.Sink<Long, String> sink) {
        return WriteBehind.builder(info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime(), TestRedis.client(),
                Codec.utf8(), Long::valueOf, sink);
    }

    private void upsert(Map<Long, String> batch) {
        batchSizes.add(batch.size());
        database.putAll(batch);
    }

    @Test
    void writesReachTheSinkInBatchesWithEachKeysLastValue(TestInfo info) {
        try (WriteBehind<Long, String> wb = builder(info, this::upsert).batchSize(100).build()) {
            for (int i = 0; i < 1000; i++) {
                wb.write((long) (i % 50), "v" + i);       // 20 writes to each of 50 keys, in order
            }
            eventually(() -> wb.backlog() == 0);
            assertThat(wb.applied()).isEqualTo(1000);
        }
        assertThat(database).hasSize(50);
        for (long k = 0; k < 50; k++) {
            assertThat(database.get(k)).isEqualTo("v" + (950 + k)); // the last write of each key won
        }
        assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 100)); // collapsed per key, never over a batch
    }

    @Test
    void aFlusherKilledMidBatchLosesNothing(TestInfo info) throws Exception {
        CountDownLatch inBatch = new CountDownLatch(1);
        WriteBehind.Sink<Long, String> dying = batch -> {
            int n = 0;
            for (Map.Entry<Long, String> e : batch.entrySet()) {
                if (n++ == batch.size() / 2) {
                    inBatch.countDown();
                    Thread.sleep(60_000);            // the crash interrupts this: half the batch applied, none acknowledged
                }
                database.put(e.getKey(), e.getValue());
            }
        };
        WriteBehind<Long, String> first = builder(info, dying).batchSize(1000).build();
        for (long k = 0; k < 500; k++) {
            first.write(k, "value" + k);
        }
        assertThat(inBatch.await(10, TimeUnit.SECONDS)).isTrue();
        first.crash();
        assertThat(database).hasSizeLessThan(500);   // the crash left work undone

        // a new flusher on the same log (the process restarted) claims what the dead one held
        try (WriteBehind<Long, String> second = WriteBehind.builder(first.name(), TestRedis.client(), Codec.utf8(), Long::valueOf,
                this::upsert).claimAfter(Duration.ofMillis(200)).build()) {
            eventually(() -> database.size() == 500);
            eventually(() -> second.applied() == 500);
        }
        for (long k = 0; k < 500; k++) {
            assertThat(database.get(k)).isEqualTo("value" + k);
        }
    }

    @Test
    void aFullBacklogRefusesMoreWrites(TestInfo info) {
        CountDownLatch never = new CountDownLatch(1);
        try (WriteBehind<Long, String> wb = builder(info, batch -> never.await()).maxBacklog(3).build()) {
            wb.write(1L, "a");
            wb.write(2L, "b");
            wb.write(3L, "c");
            assertThatThrownBy(() -> wb.write(4L, "d")).isInstanceOf(WriteBehind.BacklogFullException.class)
                    .hasMessageContaining("write through instead");
            never.countDown();
        }
    }

    @Test
    void badConfigurationSaysWhatToChange(TestInfo info) {
        assertThatThrownBy(() -> builder(info, this::upsert).batchSize(0)).hasMessage("batchSize must be at least 1, was 0");
        assertThatThrownBy(() -> builder(info, this::upsert).maxBacklog(0)).hasMessage("maxBacklog must be at least 1, was 0");
        assertThatThrownBy(() -> WriteBehind.builder("a b", TestRedis.client(), Codec.utf8(), Long::valueOf, this::upsert))
                .hasMessage("name must be letters, digits, '_', '.' or '-' (it names the Redis Stream), was 'a b'");
        assertThatThrownBy(() -> builder(info, this::upsert).claimAfter(Duration.ofMillis(-1))).hasMessage("claimAfter must not be negative, was -1 ms");
        assertThatThrownBy(() -> builder(info, this::upsert).poll(Duration.ZERO)).hasMessage("poll must be positive, was 0 ms");
        assertThatThrownBy(() -> builder(info, this::upsert).threadFactory(null)).hasMessage("threadFactory must not be null");
    }

    @Test
    void theFlusherRunsOnAThreadOfTheGivenFactory(TestInfo info) {
        List<Thread> made = new CopyOnWriteArrayList<>();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        java.util.concurrent.ThreadFactory factory = task -> {
            Thread t = Thread.ofPlatform().daemon().name("test-flusher").unstarted(task);
            made.add(t);
            return t;
        };
        try (WriteBehind<Long, String> wb = builder(info, batch -> {
            ranOn.add(Thread.currentThread());
            upsert(batch);
        }).threadFactory(factory).build()) {
            wb.write(1L, "a");
            eventually(() -> wb.backlog() == 0);
        }
        assertThat(made).hasSize(1);
        assertThat(ranOn).isNotEmpty().allMatch(t -> t == made.getFirst());
        assertThat(database).containsEntry(1L, "a");
    }
}
