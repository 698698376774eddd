package dev.headroom.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.window.WindowAggregate;
import dev.headroom.analytics.window.WindowResult.Kind;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchRecomputeTest {
    private static final long HOUR = Resolution.HOUR.millis();
    private static final long FROM = 1_700_000_000_000L / HOUR * HOUR;

    @Test
    void theBatchPathAgreesWithTheRealTimeRollupsAndFindsACorruptedRow() throws Exception {
        EventBatch events = TestEvents.seeded(8, 30_000, FROM, HOUR);
        Map<BucketKey, WindowAggregate> seconds = TestEvents.aggregate(events, Resolution.SECOND);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            try (RawEventWriter raw = new RawEventWriter(store); RollupWriter realTime = new RollupWriter(store, 1_024)) {
                raw.append(events);
                seconds.forEach((key, aggregate) -> realTime.accept(TestEvents.result(key, aggregate, Kind.FINAL)));
                realTime.flush();
            }
            store.compact(FROM + HOUR + Retention.DEFAULT_SETTLE.toMillis());

            ConsistencyReport perSecond = BatchRecompute.check(store, Resolution.SECOND, FROM, FROM + HOUR);
            assertThat(perSecond.mismatches()).isEmpty();
            assertThat(perSecond.rowsCompared()).isEqualTo(seconds.size());
            // The downsampled minutes and hour (with its total) agree with the raw events too.
            assertThat(BatchRecompute.check(store, Resolution.MINUTE, FROM, FROM + HOUR).consistent()).isTrue();
            ConsistencyReport hourly = BatchRecompute.check(store, Resolution.HOUR, FROM, FROM + HOUR);
            assertThat(hourly.mismatches()).isEmpty();
            assertThat(hourly.rowsCompared()).isEqualTo(TestEvents.CATEGORIES + 1);

            long corrupted = FROM + 600_000;
            try (Statement s = store.connection().createStatement()) {
                s.execute("UPDATE rollup_1s SET order_placed = order_placed + 1 WHERE bucket = " + corrupted + " AND category = 2");
            }
            try (PreparedStatement emptyUsers = store.connection().prepareStatement(
                    "UPDATE rollup_1s SET users = ? WHERE bucket = " + (corrupted + 1_000) + " AND category = 3")) {
                emptyUsers.setBytes(1, new WindowAggregate().usersBytes());
                emptyUsers.executeUpdate();
            }
            ConsistencyReport broken = BatchRecompute.check(store, Resolution.SECOND, FROM, FROM + HOUR);
            assertThat(broken.consistent()).isFalse();
            assertThat(broken.mismatchCount()).isEqualTo(2);
            assertThat(broken.mismatches().get(0)).startsWith("rollup_1s " + Instant.ofEpochMilli(corrupted) + " category 2: counts ");
            assertThat(broken.mismatches().get(1)).startsWith("rollup_1s " + Instant.ofEpochMilli(corrupted + 1_000)
                    + " category 3: distinct users 0.0 stored");
        }
    }

    @Test
    void aRecomputeRewritesTheRangeFromTheRawEvents() throws Exception {
        EventBatch events = TestEvents.seeded(9, 20_000, FROM, 2 * HOUR);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            try (RawEventWriter raw = new RawEventWriter(store)) {
                raw.append(events);
            }
            assertThat(BatchRecompute.recompute(store, Resolution.MINUTE, FROM, FROM + 2 * HOUR, line -> { })).isEqualTo(20_000);
            assertThat(BatchRecompute.check(store, Resolution.MINUTE, FROM, FROM + 2 * HOUR).mismatches()).isEmpty();
            Map<BucketKey, WindowAggregate> direct = TestEvents.aggregate(events, Resolution.MINUTE);
            assertThat(RollupRows.read(store.connection(), Resolution.MINUTE, FROM, FROM + 2 * HOUR)).hasSize(direct.size())
                    .allSatisfy(row -> assertThat(row.aggregate().counts())
                            .containsExactly(direct.get(new BucketKey(row.bucket(), row.category())).counts()));
            // Twice: the range is replaced, not appended to.
            BatchRecompute.recompute(store, Resolution.MINUTE, FROM, FROM + 2 * HOUR, line -> { });
            assertThat(RollupRows.read(store.connection(), Resolution.MINUTE, FROM, FROM + 2 * HOUR)).hasSize(direct.size());
        }
    }
}
