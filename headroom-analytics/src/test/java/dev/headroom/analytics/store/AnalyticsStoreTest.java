package dev.headroom.analytics.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsStoreTest {
    @TempDir
    Path dir;

    @Test
    void rawEventsAppendedInBatchesAreDurableAcrossAReopen() throws Exception {
        EventBatch events = TestEvents.seeded(1, 5_000, 1_700_000_000_000L, 60_000);
        Path file = dir.resolve("store.duckdb");
        try (AnalyticsStore store = AnalyticsStore.open(file, Retention.DEFAULTS)) {
            try (RawEventWriter writer = new RawEventWriter(store)) {
                writer.append(events);
                writer.flush();
            }
            assertThat(store.rawEvents()).isEqualTo(5_000);
        }
        // Reopened from the file: the rows were durable.
        try (AnalyticsStore store = AnalyticsStore.open(file, Retention.DEFAULTS);
             Statement s = store.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT time_ms, type, user_id, product, category, amount_cents, latency_us"
                     + " FROM events ORDER BY time_ms, user_id, product")) {
            int rows = 0;
            long revenue = 0;
            while (rs.next()) {
                rows++;
                if (rs.getByte(2) == EventType.ORDER_PLACED.code()) {
                    revenue += rs.getLong(6);
                }
            }
            assertThat(rows).isEqualTo(5_000);
            assertThat(revenue).isEqualTo(revenueOf(events));
        }
    }

    @Test
    void anEventReadsBackFieldByField() throws Exception {
        EventBatch one = new EventBatch(3, 1);
        one.add(EventType.CART_ADD, 1_700_000_000_123L, 42L, 7, 2, 1_999, 0);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            try (RawEventWriter writer = new RawEventWriter(store)) {
                writer.append(one);
            }
            try (Statement s = store.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT time_ms, type, user_id, product, category, amount_cents, latency_us FROM events")) {
                assertThat(rs.next()).isTrue();
                assertThat(new long[] {rs.getLong(1), rs.getByte(2), rs.getLong(3), rs.getInt(4), rs.getInt(5), rs.getLong(6), rs.getInt(7)})
                        .containsExactly(1_700_000_000_123L, EventType.CART_ADD.code(), 42L, 7, 2, 1_999, 0);
            }
        }
    }

    @Test
    void configurationIsCheckedWithMessagesThatSayWhatToChange() throws Exception {
        assertThatThrownBy(() -> AnalyticsStore.open(dir.resolve("missing/store.duckdb"), Retention.DEFAULTS))
                .hasMessageStartingWith("file's directory must exist: create " + dir.resolve("missing"));
        Files.createDirectory(dir.resolve("adir"));
        assertThatThrownBy(() -> AnalyticsStore.open(dir.resolve("adir"), Retention.DEFAULTS))
                .hasMessage("file must be a database file, not a directory: " + dir.resolve("adir"));
        assertThatThrownBy(() -> AnalyticsStore.inMemory(null))
                .hasMessage("retention must be set (Retention.DEFAULTS for the defaults)");
        assertThatThrownBy(() -> new Retention(Duration.ZERO, Duration.ofHours(1), Duration.ofDays(1), Duration.ZERO))
                .hasMessage("raw must be a positive duration, was PT0S");
        assertThatThrownBy(() -> new Retention(Duration.ofDays(1), Duration.ofMinutes(1), Duration.ofDays(1), Duration.ofMinutes(1)))
                .hasMessage("perSecond must be at least settle + 1 min (PT2M) so that every second is downsampled before it is deleted, was PT1M");
        assertThatThrownBy(() -> new Retention(Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(30), Duration.ZERO))
                .hasMessage("perMinute must be at least settle + 1 h (PT1H) so that every minute is downsampled before it is deleted, was PT30M");
        assertThatThrownBy(() -> new RollupWriter(null, 0)).hasMessage("queueCapacity must be at least 1, was 0");
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            assertThatThrownBy(() -> HistoryLoader.load(store, 0, 1, 3_600_000, line -> { }))
                    .hasMessage("events must be at least 1, was 0");
            assertThatThrownBy(() -> HistoryLoader.load(store, 10, 1, 3_600_001, line -> { }))
                    .hasMessage("endMillis must be a whole hour (a multiple of 3600000), was 3600001");
            assertThatThrownBy(() -> BatchRecompute.check(store, Resolution.MINUTE, 1_000, 120_000))
                    .hasMessage("from and to must be multiples of 60000 ms for rollup_1m, were 1000 and 120000");
            assertThatThrownBy(() -> BatchRecompute.recompute(store, Resolution.SECOND, 2_000, 1_000, line -> { }))
                    .hasMessage("from must be before to, were 2000 and 1000");
            try (HistoricalQueries queries = new HistoricalQueries(store)) {
                assertThatThrownBy(() -> queries.measure(0, 0)).hasMessage("runs must be at least 1, was 0");
            }
        }
    }

    static long revenueOf(EventBatch events) {
        long revenue = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.type(i) == EventType.ORDER_PLACED) {
                revenue += events.amountCents(i);
            }
        }
        return revenue;
    }
}
