package dev.headroom.analytics.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PartitionedEngineTest {
    private static final WindowSpec ONE_S = WindowSpec.tumbling(Duration.ofSeconds(1));
    private static final WindowSpec FOUR_S_HOP = WindowSpec.hopping(Duration.ofSeconds(4), Duration.ofSeconds(1));

    private final AtomicLong wall = new AtomicLong();
    private final InstantSource clock = () -> Instant.ofEpochMilli(wall.get());

    private PartitionedEngine.Builder engine(Recorder sink) {
        return PartitionedEngine.builder().windows(ONE_S, FOUR_S_HOP).outOfOrderness(Duration.ofMillis(500))
                .allowedLateness(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(5)).earlyInterval(Duration.ofMillis(10))
                .sink(sink).clock(clock);
    }

    @Test
    void twoWorkersReportWhatOneDoesAndBothMatchTheExactReplay() {
        List<ExactReplay.Arrival> arrivals = new DisorderedStream(5, 2, 16, 300, 1_000, 100, 2_000, 300, 0.05, 2_500).arrivals(1_000_000, 10_000);
        ExactReplay.Outcome exact = new ExactReplay(List.of(ONE_S, FOUR_S_HOP), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(5)).replay(arrivals);
        Recorder one = new Recorder();
        Recorder two = new Recorder();
        long[] counters1 = play(engine(one).workers(1).build(), arrivals);
        long[] counters2 = play(engine(two).workers(2).build(), arrivals);

        Exactly.matches(exact, one.settled());
        Exactly.matches(exact, two.settled());
        assertThat(counters1).containsExactly(10_000, exact.counted(), exact.late(), exact.dropped());
        assertThat(counters2).isEqualTo(counters1);
    }

    /** Offers every arrival at its wall time, then lets an hour pass so every window fires; returns the counters. */
    private long[] play(PartitionedEngine e, List<ExactReplay.Arrival> arrivals) {
        e.start();
        for (ExactReplay.Arrival a : arrivals) {
            await(() -> e.queued() == 0); // one batch at a time: the clock is the arrival's while it is taken
            wall.set(a.wallMillis());
            assertThat(e.offer(copy(a.batch()))).isTrue();
        }
        await(() -> e.queued() == 0);
        long end = wall.addAndGet(3_600_000);
        await(() -> e.watermark() > end - 3_000_000);
        e.close();
        return new long[] {e.received(), e.counted(), e.late(), e.dropped()};
    }

    @Test
    void anIdleSourceDoesNotHoldTheWindowsBack() {
        Recorder sink = new Recorder();
        PartitionedEngine e = PartitionedEngine.builder().windows(ONE_S).outOfOrderness(Duration.ZERO).idleTimeout(Duration.ofSeconds(1))
                .earlyInterval(Duration.ofMillis(10)).sink(sink).clock(clock).build().start();
        wall.set(10_000);
        e.offer(orders(1, 10_100));
        e.offer(orders(2, 10_200));
        wall.set(10_500);
        e.offer(orders(1, 11_500));
        await(() -> e.counted() == 9);
        assertThat(e.watermark()).as("source 2 holds the watermark at its 10,200").isEqualTo(10_200);
        assertThat(sink.settled()).isEmpty();

        wall.set(11_300); // source 2 quiet for 1.3 s: it moves on to 10,200 + 1,300
        await(() -> e.watermark() == 11_500); // results go out before the watermark is published
        await(() -> sink.settled("1s", WindowResult.ALL_KEYS, 10_000) != null);
        WindowResult closed = sink.settled("1s", WindowResult.ALL_KEYS, 10_000);
        assertThat(closed.kind()).isEqualTo(WindowResult.Kind.FINAL);
        assertThat(closed.aggregate().events()).isEqualTo(6);
        assertThat(closed.emittedAtMillis()).isEqualTo(11_300);
        e.close();
    }

    @Test
    void aStalledSinkFillsTheQueuesThenOfferRefusesAndNothingIsLost() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean blocked = new AtomicBoolean();
        WindowSink stalling = r -> {
            if (blocked.compareAndSet(false, true)) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        PartitionedEngine e = PartitionedEngine.builder().windows(ONE_S).outOfOrderness(Duration.ZERO).queueCapacity(4).workers(2)
                .earlyInterval(Duration.ofSeconds(60)).sink(stalling).clock(clock).build().start();
        long time = 0;
        int accepted = 0;
        while (e.offer(orders(1, time += 600))) {
            accepted++;
            if (accepted > 2) {
                await(blocked::get);
            }
            assertThat(accepted).as("offer must refuse once the queues are full").isLessThan(100);
        }
        assertThat(e.queued()).isLessThanOrEqualTo(2 * 4);
        assertThat(accepted).isLessThanOrEqualTo(4 + 2);
        CountDownLatch writable = new CountDownLatch(1);
        e.whenWritable(writable::countDown);
        assertThat(writable.getCount()).as("no room yet").isEqualTo(1);
        release.countDown();
        assertThat(writable.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 20; i++) {
            while (!e.offer(orders(2, time += 600))) {
                Thread.onSpinWait();
            }
            accepted++;
        }
        e.close();
        assertThat(e.received()).isEqualTo(accepted * 3L);
        assertThat(e.counted() + e.late() + e.dropped()).isEqualTo(e.received());
    }

    @Test
    void aSinkThatThrowsStopsTheEngineLoudly() {
        PartitionedEngine e = PartitionedEngine.builder().windows(ONE_S).outOfOrderness(Duration.ZERO).sink(r -> {
            throw new IllegalStateException("sink broke");
        }).clock(clock).build().start();
        e.offer(orders(1, 100));
        e.offer(orders(1, 1_500)); // fires the first window: the sink throws
        await(() -> {
            try {
                e.offer(orders(1, 1_600));
                return false;
            } catch (IllegalStateException refused) {
                assertThat(refused).hasMessage("window worker 0 stopped: java.lang.IllegalStateException: sink broke");
                return true;
            }
        });
        e.close();
    }

    @Test
    void configurationIsCheckedUpFrontSayingWhatToChange() {
        assertThatThrownBy(() -> PartitionedEngine.builder().workers(0)).hasMessage("workers must be between 1 and 256, was 0");
        assertThatThrownBy(() -> PartitionedEngine.builder().queueCapacity(0)).hasMessage("queueCapacity must be at least 1 batch, was 0");
        assertThatThrownBy(() -> PartitionedEngine.builder().maxKeys(0)).hasMessage("maxKeys must be at least 1, was 0");
        assertThatThrownBy(() -> PartitionedEngine.builder().maxSources(0)).hasMessage("maxSources must be at least 1, was 0");
        assertThatThrownBy(() -> PartitionedEngine.builder().allowedLateness(Duration.ofSeconds(-1)))
                .hasMessage("allowedLateness must be zero or more whole milliseconds, was PT-1S");
        assertThatThrownBy(() -> PartitionedEngine.builder().idleTimeout(Duration.ZERO))
                .hasMessage("idleTimeout must be a positive whole number of milliseconds, was PT0S");
        assertThatThrownBy(() -> PartitionedEngine.builder().workers(2).workers(3)).hasMessage("workers was already set to 2");
        assertThatThrownBy(() -> PartitionedEngine.builder().windows(ONE_S, ONE_S)).hasMessage("windows must differ, were [1s, 1s]");
        assertThatThrownBy(() -> PartitionedEngine.builder().windows(ONE_S).build()).hasMessage("sink must be set: where window results go");
        assertThatThrownBy(() -> PartitionedEngine.builder().sink(r -> { }).build())
                .hasMessage("windows must be set, e.g. windows(WindowSpec.tumbling(Duration.ofSeconds(1)))");
        PartitionedEngine notStarted = PartitionedEngine.builder().windows(ONE_S).sink(r -> { }).build();
        assertThatThrownBy(() -> notStarted.offer(orders(1, 0))).hasMessage("the engine is not started: call start() first");
    }

    @Test
    void keysPastTheBoundAreCountedTogetherAndTheTotalsStayExact() {
        Recorder sink = new Recorder();
        PartitionedEngine e = PartitionedEngine.builder().windows(ONE_S).outOfOrderness(Duration.ZERO).maxKeys(2)
                .sink(sink).clock(clock).build().start();
        EventBatch b = new EventBatch(1, 50);
        for (int i = 0; i < 50; i++) {
            b.add(EventType.ORDER_PLACED, 10_000 + i, i, 9, 1 + i % 10, 100, 0); // categories 1..10, five events each
        }
        e.offer(b);
        e.offer(orders(1, 12_000)); // closes the first second
        await(() -> sink.settled("1s", WindowResult.ALL_KEYS, 10_000) != null);
        e.close();

        assertThat(sink.settled("1s", 1, 10_000).aggregate().events()).isEqualTo(5);
        assertThat(sink.settled("1s", 2, 10_000).aggregate().events()).isEqualTo(5);
        assertThat(sink.settled("1s", 3, 10_000)).as("a key past the bound has no window of its own").isNull();
        assertThat(sink.settled("1s", WindowResult.OTHER_KEYS, 10_000).aggregate().events()).isEqualTo(40);
        assertThat(sink.settled("1s", WindowResult.ALL_KEYS, 10_000).aggregate().events()).isEqualTo(50);
        assertThat(sink.settled().keySet()).extracting(ExactReplay.WindowKey::key).doesNotContain(4, 5, 10);
    }

    /** Three orders of source {@code source} at {@code time}, in categories 1, 2 and 3. */
    private static EventBatch orders(int source, long time) {
        EventBatch b = new EventBatch(source, 3);
        for (int c = 1; c <= 3; c++) {
            b.add(EventType.ORDER_PLACED, time, c, 9, c, 100, 0);
        }
        return b;
    }

    private static EventBatch copy(EventBatch b) {
        EventBatch c = new EventBatch(b.source(), b.size());
        for (int i = 0; i < b.size(); i++) {
            c.addFrom(b, i);
        }
        return c;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
