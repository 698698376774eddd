package dev.headroom.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.window.WindowAggregate;
import dev.headroom.analytics.window.WindowResult;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.junit.jupiter.api.Test;

class CompactionTest {
    private static final long HOUR = Resolution.HOUR.millis();
    private static final long FROM = 1_700_000_000_000L / HOUR * HOUR;
    private static final long DAY = 24 * HOUR;

    @Test
    void downsampledRowsEqualDirectAggregationExactlyForCountsAndWithinBoundsForSketches() throws Exception {
        EventBatch events = TestEvents.seeded(5, 20_000, FROM, 2 * HOUR);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            appendRows(store, Resolution.SECOND, TestEvents.aggregate(events, Resolution.SECOND));
            long now = FROM + 2 * HOUR + Retention.DEFAULT_SETTLE.toMillis();
            store.compact(now);
            assertMatchesDirectAggregation(store, events, Resolution.MINUTE, false);
            assertMatchesDirectAggregation(store, events, Resolution.HOUR, true);

            // Again at the same time: nothing new is settled, nothing changes.
            int minutes = RollupRows.read(store.connection(), Resolution.MINUTE, FROM, now).size();
            store.compact(now);
            assertThat(RollupRows.read(store.connection(), Resolution.MINUTE, FROM, now)).hasSize(minutes);
            assertMatchesDirectAggregation(store, events, Resolution.HOUR, true);
        }
    }

    @Test
    void retentionRemovesExpiredRowsAndNothingElse() throws Exception {
        long now = FROM + 400 * DAY;
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            try (RawEventWriter writer = new RawEventWriter(store)) {
                writer.append(TestEvents.seeded(6, 10, now - 32 * DAY, 1_000));
                writer.append(TestEvents.seeded(7, 10, now - 30 * DAY, 1_000));
            }
            appendRows(store, Resolution.SECOND, Map.of(
                    new BucketKey(now - 7 * HOUR, 1), aggregateOf(8), new BucketKey(now - 5 * HOUR, 1), aggregateOf(9)));
            appendRows(store, Resolution.MINUTE, Map.of(
                    new BucketKey(now - 9 * DAY, 2), aggregateOf(10), new BucketKey(now - 7 * DAY, 2), aggregateOf(11)));
            appendRows(store, Resolution.HOUR, Map.of(new BucketKey(now - 399 * DAY, 3), aggregateOf(12)));

            store.compact(now);

            assertThat(longs(store, "SELECT min(time_ms) FROM events")).containsExactly(now - 30 * DAY);
            assertThat(store.rawEvents()).isEqualTo(10);
            assertThat(longs(store, "SELECT bucket FROM rollup_1s ORDER BY bucket")).containsExactly(now - 5 * HOUR);
            // The 9-day-old minute is gone; the 7-day-old one stays, and the seconds were downsampled into theirs.
            assertThat(longs(store, "SELECT bucket FROM rollup_1m ORDER BY bucket"))
                    .containsExactly(now - 7 * DAY, now - 7 * HOUR, now - 5 * HOUR);
            // Hours are kept forever: the old one, and those downsampled from the minutes (a category row and a total each).
            assertThat(longs(store, "SELECT bucket FROM rollup_1h WHERE category <> -1 ORDER BY bucket"))
                    .containsExactly(now - 399 * DAY, now - 9 * DAY, now - 7 * DAY, now - 7 * HOUR, now - 5 * HOUR);
        }
    }

    private static void assertMatchesDirectAggregation(AnalyticsStore store, EventBatch events, Resolution resolution,
                                                       boolean totals) throws SQLException {
        Map<BucketKey, WindowAggregate> direct = new HashMap<>(TestEvents.aggregate(events, resolution));
        Map<BucketKey, Integer> distinct = new HashMap<>(TestEvents.distinctUsers(events, resolution));
        if (totals) {
            EventBatch all = allCategories(events);
            TestEvents.aggregate(all, resolution).forEach((k, a) -> direct.put(new BucketKey(k.bucket(), WindowResult.ALL_KEYS), a));
            TestEvents.distinctUsers(all, resolution).forEach((k, n) -> distinct.put(new BucketKey(k.bucket(), WindowResult.ALL_KEYS), n));
        }
        List<RollupRow> rows = RollupRows.read(store.connection(), resolution, FROM, FROM + 2 * HOUR);
        assertThat(rows).hasSize(direct.size());
        for (RollupRow row : rows) {
            BucketKey key = new BucketKey(row.bucket(), row.category());
            WindowAggregate want = direct.get(key);
            assertThat(row.aggregate().counts()).as("%s", key).containsExactly(want.counts());
            assertThat(row.aggregate().revenueCents()).as("%s", key).isEqualTo(want.revenueCents());
            assertThat(SketchBounds.distinctAgree(row.aggregate().distinctUsers(), distinct.get(key)))
                    .as("%s: %s distinct users estimated, %s exact", key, row.aggregate().distinctUsers(), distinct.get(key)).isTrue();
            assertThat(SketchBounds.latencyDisagreement(row.aggregate().latencySketch(), want.latencySketch())).as("%s", key).isNull();
            assertThat(SketchBounds.productsDisagreement(row.aggregate().productsSketch(), want.productsSketch())).as("%s", key).isNull();
        }
    }

    /** The same events, all in one category (the direct way to an all-categories aggregate). */
    private static EventBatch allCategories(EventBatch events) {
        EventBatch all = new EventBatch(0, events.size());
        for (int i = 0; i < events.size(); i++) {
            all.add(events.type(i), events.time(i), events.user(i), events.product(i), 0, events.amountCents(i), events.latencyMicros(i));
        }
        return all;
    }

    static void appendRows(AnalyticsStore store, Resolution resolution, Map<BucketKey, WindowAggregate> rows) throws SQLException {
        try (DuckDBAppender appender = RollupRows.appender(store.connection(), resolution)) {
            for (Map.Entry<BucketKey, WindowAggregate> row : rows.entrySet()) {
                RollupRows.append(appender, new RollupRow(row.getKey().bucket(), row.getKey().category(), row.getValue(), 0));
            }
        }
    }

    private static WindowAggregate aggregateOf(long seed) {
        EventBatch events = TestEvents.seeded(seed, 20, FROM, 1_000);
        WindowAggregate aggregate = new WindowAggregate();
        for (int i = 0; i < events.size(); i++) {
            aggregate.add(events, i);
        }
        return aggregate;
    }

    private static List<Long> longs(AnalyticsStore store, String sql) throws SQLException {
        List<Long> values = new ArrayList<>();
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getLong(1));
            }
        }
        return values;
    }
}
