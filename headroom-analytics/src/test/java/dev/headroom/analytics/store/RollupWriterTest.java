package dev.headroom.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import dev.headroom.analytics.window.WindowAggregate;
import dev.headroom.analytics.window.WindowResult;
import dev.headroom.analytics.window.WindowResult.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollupWriterTest {
    private static final long FROM = 1_700_000_000_000L;

    @Test
    void finalResultsAreStoredOneRowPerSecondAndCategory() throws Exception {
        EventBatch events = TestEvents.seeded(2, 20_000, FROM, 30_000);
        Map<BucketKey, WindowAggregate> expected = TestEvents.aggregate(events, Resolution.SECOND);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            try (RollupWriter writer = new RollupWriter(store, RollupWriter.DEFAULT_QUEUE_CAPACITY)) {
                expected.forEach((key, aggregate) -> writer.accept(TestEvents.result(key, aggregate, Kind.FINAL)));
                writer.flush();
            }
            List<RollupRow> rows = RollupRows.read(store.connection(), Resolution.SECOND, FROM, FROM + 30_000);
            assertThat(rows).hasSize(expected.size());
            for (RollupRow row : rows) {
                WindowAggregate want = expected.get(new BucketKey(row.bucket(), row.category()));
                assertThat(row.aggregate().counts()).containsExactly(want.counts());
                assertThat(row.aggregate().revenueCents()).isEqualTo(want.revenueCents());
                // The sketches went through storage unchanged (hash maps inside serialize in no fixed order: compare answers).
                assertThat(row.aggregate().distinctUsers()).isEqualTo(want.distinctUsers());
                for (double rank : new double[] {0, 0.5, 0.9, 0.99, 1}) {
                    assertThat(row.aggregate().latencyQuantile(rank)).isEqualTo(want.latencyQuantile(rank));
                }
                assertThat(row.aggregate().productsSketch().getStreamLength()).isEqualTo(want.productsSketch().getStreamLength());
                for (long product = 1; product <= 200; product++) {
                    assertThat(row.aggregate().productsSketch().getEstimate(product)).isEqualTo(want.productsSketch().getEstimate(product));
                }
                assertThat(row.late()).isZero();
            }
        }
    }

    @Test
    void aLateUpdateReplacesItsRowAndEarlyOrAllKeyResultsAreNotStored() throws Exception {
        EventBatch events = TestEvents.seeded(3, 2_000, FROM, 4_000);
        Map<BucketKey, WindowAggregate> finals = TestEvents.aggregate(events, Resolution.SECOND);
        BucketKey key = new BucketKey(FROM + 1_000, 1);
        WindowAggregate updated = WindowAggregate.fromParts(finals.get(key).counts(), finals.get(key).revenueCents(),
                finals.get(key).usersBytes(), finals.get(key).latencyBytes(), finals.get(key).productsBytes());
        EventBatch late = new EventBatch(0, 1);
        late.add(EventType.ORDER_PLACED, FROM + 1_500, 99_999, 5, 1, 12_345, 0);
        updated.add(late, 0);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            try (RollupWriter writer = new RollupWriter(store, 16)) {
                finals.forEach((k, aggregate) -> writer.accept(TestEvents.result(k, aggregate, Kind.FINAL)));
                writer.flush();
                writer.accept(TestEvents.result(key, updated, Kind.LATE_UPDATE));
                writer.accept(TestEvents.result(new BucketKey(FROM + 3_000, 2), new WindowAggregate(), Kind.EARLY));
                writer.accept(new WindowResult(RollupWriter.WINDOW, WindowResult.ALL_KEYS, FROM, FROM + 1_000, Kind.FINAL,
                        updated, 0, 0, FROM + 1_500));
                writer.accept(new WindowResult("10s/1s", 1, FROM, FROM + 10_000, Kind.FINAL, updated, 0, 0, FROM + 10_500));
                writer.flush();
            }
            List<RollupRow> rows = RollupRows.read(store.connection(), Resolution.SECOND, FROM, FROM + 4_000);
            assertThat(rows).hasSize(finals.size());
            RollupRow replaced = rows.stream().filter(r -> r.bucket() == key.bucket() && r.category() == key.category())
                    .findFirst().orElseThrow();
            assertThat(replaced.aggregate().count(EventType.ORDER_PLACED)).isEqualTo(finals.get(key).count(EventType.ORDER_PLACED) + 1);
            assertThat(replaced.aggregate().revenueCents()).isEqualTo(finals.get(key).revenueCents() + 12_345);
            assertThat(replaced.late()).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueMakesTheEngineWaitAndLosesNothing() throws Exception {
        EventBatch events = TestEvents.seeded(4, 20_000, FROM, 300_000);
        Map<BucketKey, WindowAggregate> finals = TestEvents.aggregate(events, Resolution.SECOND);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            try (RollupWriter writer = new RollupWriter(store, 1)) {
                finals.forEach((k, aggregate) -> writer.accept(TestEvents.result(k, aggregate, Kind.FINAL)));
                writer.flush();
                // A queue of one is full whenever the writer is busy with a flush to DuckDB.
                assertThat(writer.backPressureWaits()).isPositive();
            }
            assertThat(RollupRows.read(store.connection(), Resolution.SECOND, FROM, FROM + 300_000)).hasSize(finals.size());
        }
    }
}
