package dev.headroom.analytics.window;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowCoreTest {
    private static final WindowSpec ONE_S = WindowSpec.tumbling(Duration.ofSeconds(1));
    private static final WindowSpec FOUR_S_HOP = WindowSpec.hopping(Duration.ofSeconds(4), Duration.ofSeconds(1));
    private static final WindowSpec HALF_S = WindowSpec.tumbling(Duration.ofMillis(500));

    /** 20,000 events over 10 s from two sources, out of order by up to 300 ms, 5 % later by up to 2.5 s. */
    private static List<ExactReplay.Arrival> disordered(long seed) {
        return new DisorderedStream(seed, 2, 4, 300, 800, 50, 2_000, 300, 0.05, 2_500).arrivals(1_000_000, 20_000);
    }

    private static ExactReplay.Outcome replay(Policy p, List<ExactReplay.Arrival> arrivals) {
        return new ExactReplay(p.windows(), Duration.ofMillis(p.outOfOrderness()), Duration.ofMillis(p.allowedLateness()),
                Duration.ofMillis(p.idleTimeout())).replay(arrivals);
    }

    @Test
    void tumblingAndHoppingWindowsMatchTheExactReplayOnDisorderedLateEvents() {
        Policy policy = new Policy(List.of(ONE_S, FOUR_S_HOP, HALF_S), 500, 1_000, 5_000, 200);
        List<ExactReplay.Arrival> arrivals = disordered(7);
        ExactReplay.Outcome exact = replay(policy, arrivals);
        Recorder recorder = new Recorder();
        WindowCore core = new WindowCore(policy, new ResultMerger(policy, 1, recorder), 0);
        Recorder.drive(core, arrivals);

        assertThat(exact.late()).as("the data has late events").isPositive();
        assertThat(exact.dropped()).as("and dropped ones").isPositive();
        Exactly.matches(exact, recorder.settled());
        assertThat(core.received()).isEqualTo(20_000).isEqualTo(exact.received());
        assertThat(core.counted()).isEqualTo(exact.counted());
        assertThat(core.late()).isEqualTo(exact.late());
        assertThat(core.dropped()).isEqualTo(exact.dropped());
        assertThat(core.counted() + core.late() + core.dropped()).isEqualTo(core.received());
    }

    @Test
    void aHoppingPrimaryWindowCountsEachEventOnceByItsOwnRule() {
        Policy policy = new Policy(List.of(FOUR_S_HOP), 200, 500, 5_000, 200);
        List<ExactReplay.Arrival> arrivals = disordered(11);
        ExactReplay.Outcome exact = replay(policy, arrivals);
        Recorder recorder = new Recorder();
        WindowCore core = new WindowCore(policy, new ResultMerger(policy, 1, recorder), 0);
        Recorder.drive(core, arrivals);

        Exactly.matches(exact, recorder.settled());
        assertThat(List.of(core.counted(), core.late(), core.dropped())).isEqualTo(List.of(exact.counted(), exact.late(), exact.dropped()));
        assertThat(core.counted() + core.late() + core.dropped()).isEqualTo(20_000);
    }

    @Test
    void boundedOutOfOrdernessKeepsDisorderedEventsOnTime() {
        // Disorder up to 300 ms, no late ones, bound 300 ms: every event is on time.
        List<ExactReplay.Arrival> arrivals = new DisorderedStream(3, 1, 3, 100, 100, 20, 1_000, 300, 0, 0).arrivals(50_000, 3_000);
        Policy policy = new Policy(List.of(ONE_S), 300, 0, 5_000, 200);
        Recorder recorder = new Recorder();
        WindowCore core = new WindowCore(policy, new ResultMerger(policy, 1, recorder), 0);
        Recorder.drive(core, arrivals);

        assertThat(List.of(core.counted(), core.late(), core.dropped())).containsExactly(3_000L, 0L, 0L);
        assertThat(recorder.all().stream().filter(r -> r.kind() == WindowResult.Kind.FINAL && r.key() == WindowResult.ALL_KEYS)
                .mapToLong(r -> r.aggregate().events()).sum()).isEqualTo(3_000L);
        // With a bound of 100 ms the same stream has late events.
        Policy tight = new Policy(List.of(ONE_S), 100, 0, 5_000, 200);
        WindowCore strict = new WindowCore(tight, new ResultMerger(tight, 1, new Recorder()), 0);
        Recorder.drive(strict, arrivals);
        assertThat(strict.dropped()).isPositive();
        assertThat(strict.counted() + strict.dropped()).isEqualTo(3_000);
    }

    @Test
    void lateEventsWithinTheAllowedLatenessUpdateTheWindowAndLaterOnesAreDropped() {
        Policy policy = new Policy(List.of(ONE_S), 0, 1_000, 60_000, 200);
        Recorder recorder = new Recorder();
        WindowCore core = new WindowCore(policy, new ResultMerger(policy, 1, recorder), 0);
        core.accept(batch(order(100, 1, 500), order(900, 2, 700)), 0, 900, 1_000);
        core.accept(batch(order(1_500, 1, 1)), 0, 1_500, 2_000);
        WindowResult fin = recorder.settled("1s", 1, 0);
        assertThat(fin.kind()).isEqualTo(WindowResult.Kind.FINAL);
        assertThat(fin.aggregate().events()).isEqualTo(1);
        assertThat(recorder.settled("1s", 2, 0).kind()).as("the quiet key's window closed too").isEqualTo(WindowResult.Kind.FINAL);

        core.accept(batch(order(500, 1, 40)), 0, 500, 2_100);
        core.tick(2_150, false);
        WindowResult update = recorder.settled("1s", 1, 0);
        assertThat(update.kind()).isEqualTo(WindowResult.Kind.LATE_UPDATE);
        assertThat(update.aggregate().events()).isEqualTo(2);
        assertThat(update.aggregate().revenueCents()).isEqualTo(540);
        assertThat(update.late()).isEqualTo(1);
        assertThat(recorder.settled("1s", WindowResult.ALL_KEYS, 0).aggregate().revenueCents()).isEqualTo(1_240);

        core.accept(batch(order(2_600, 1, 1)), 0, 2_600, 2_200); // the watermark passes 0 + 1 s + 1 s of lateness
        core.accept(batch(order(700, 1, 99)), 0, 700, 2_300);
        core.tick(2_350, false);
        WindowResult afterDrop = recorder.settled("1s", 1, 0);
        assertThat(afterDrop.dropped()).isEqualTo(1);
        assertThat(afterDrop.late()).isEqualTo(1);
        assertThat(afterDrop.aggregate().revenueCents()).as("a dropped event is not aggregated").isEqualTo(540);
        assertThat(List.of(core.received(), core.counted(), core.late(), core.dropped())).containsExactly(6L, 4L, 1L, 1L);
    }

    @Test
    void windowsOfQuietKeysCloseWhenTheWatermarkPasses() {
        Policy policy = new Policy(List.of(ONE_S, FOUR_S_HOP), 0, 0, 60_000, 200);
        Recorder recorder = new Recorder();
        WindowCore core = new WindowCore(policy, new ResultMerger(policy, 1, recorder), 0);
        core.accept(batch(order(10_100, 7, 1)), 0, 10_100, 0); // key 7 says one thing, then nothing
        for (long t = 10_200; t <= 15_000; t += 100) {
            core.accept(batch(order(t, 8, 1)), 0, t, 0);
        }
        assertThat(recorder.settled("1s", 7, 10_000).kind()).isEqualTo(WindowResult.Kind.FINAL);
        for (long start = 7_000; start <= 10_000; start += 1_000) {
            assertThat(recorder.settled("4s/1s", 7, start)).as("hopping window at %d", start).isNotNull()
                    .extracting(WindowResult::kind).isEqualTo(WindowResult.Kind.FINAL);
        }
    }

    @Test
    void earlyResultsShowTheNextWindowToCloseAsItFills() {
        Policy policy = new Policy(List.of(ONE_S), 0, 0, 60_000, 200);
        Recorder recorder = new Recorder();
        WindowCore core = new WindowCore(policy, new ResultMerger(policy, 1, recorder), 0);
        core.accept(batch(order(1_100, 1, 5)), 0, 1_100, 0);
        core.tick(200, false);
        core.accept(batch(order(1_200, 1, 5), order(1_300, 2, 5)), 0, 1_300, 300);
        core.tick(400, false);
        core.tick(600, false); // nothing new: nothing emitted
        List<WindowResult> early = recorder.all().stream().filter(r -> r.kind() == WindowResult.Kind.EARLY && r.key() == WindowResult.ALL_KEYS).toList();
        assertThat(early).extracting(r -> r.aggregate().events()).containsExactly(1L, 3L);
        assertThat(early).extracting(WindowResult::emittedAtMillis).containsExactly(200L, 400L);
        assertThat(recorder.settled()).isEmpty();
    }

    @Test
    void aLongJumpOfTheWatermarkFiresEveryWindowWithData() {
        Policy policy = new Policy(List.of(ONE_S, FOUR_S_HOP), 0, 0, 600_000, 200);
        Recorder recorder = new Recorder();
        WindowCore core = new WindowCore(policy, new ResultMerger(policy, 1, recorder), 0);
        core.accept(batch(order(1_000, 1, 1)), 2, 1_000, 0); // source 2 holds the watermark at 1,000, then goes quiet
        for (long t : new long[] {3_500, 19_500, 36_500}) { // panes far apart in one key's ring
            core.accept(batch(order(t, 1, 1)), 1, t, 0);
        }
        assertThat(recorder.settled()).isEmpty();
        core.tick(3_600_000, true); // an hour later both sources are idle: the watermark jumps by an hour
        for (long start : new long[] {33_000, 34_000, 35_000, 36_000}) {
            assertThat(recorder.settled("4s/1s", 1, start).aggregate().events()).as("window at %d", start).isEqualTo(1);
        }
        assertThat(recorder.settled("1s", WindowResult.ALL_KEYS, 36_000).aggregate().events()).isEqualTo(1);
        assertThat(recorder.settled()).as("4 tumbling and 14 hopping windows, per key and over keys").hasSize(2 * (4 + 14));
    }

    static EventBatch batch(long[]... events) {
        EventBatch b = new EventBatch(0, events.length);
        for (long[] e : events) {
            b.add(EventType.ORDER_PLACED, e[0], 1 + e[1], 5, (int) e[1], e[2], 0);
        }
        return b;
    }

    /** An order at {@code time} in category {@code key} for {@code cents}. */
    static long[] order(long time, long key, long cents) {
        return new long[] {time, key, cents};
    }

}
