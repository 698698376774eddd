package dev.headroom.analytics.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;
import org.duckdb.DuckDBConnection;

/**
 * Loads a seeded, realistic history for the lab: {@code events} raw events over the {@value #DAYS} days
 * before {@code endMillis}, generated inside DuckDB (SQL over {@code range()}, no row crosses JDBC), then the
 * rollups built from them by the batch path ({@link BatchRecompute}): {@code rollup_1m} for the whole range,
 * {@code rollup_1h} by downsampling it, {@code rollup_1s} for the last {@value #SECONDS_SLICE_MINUTES} minutes.
 *
 * <p>The distribution, every draw a hash of (8 × event index + draw, seed) so a seed gives the same history
 * (a hash of (index, seed, draw) is not: DuckDB's hash combining made the draws of one event correlated):
 * <ul>
 *   <li>time: a diurnal rate, highest at 12:00 UTC and lowest at 00:00 ({@value #DIURNAL_PEAK_TO_TROUGH}× apart),
 *       events in time order;</li>
 *   <li>product: 1 + ⌊{@value #PRODUCTS}·u³⌋, a power transform with Zipf-like skew (product 1 is the most
 *       popular); category: 1 + product mod {@value #CATEGORIES}, so each product has one category;</li>
 *   <li>user: 1 + ⌊{@value #USERS}·u²⌋ (returning users are more active);</li>
 *   <li>type: 40 % page views, 35 % product views, 15 % searches, 8.5 % cart adds, 1.5 % orders;
 *       amount (orders and cart adds): 199 + ⌊25,000·u²⌋ cents; latency (page views and searches):
 *       500 + ⌊1,500·e^(3.5·u²)⌋ µs, about 2 ms to 50 ms.</li>
 * </ul>
 */
public final class HistoryLoader {
    static final int DAYS = 30;
    static final int CATEGORIES = 12;
    static final int PRODUCTS = 10_000;
    static final int USERS = 2_000_000;
    static final int DIURNAL_PEAK_TO_TROUGH = 3;
    static final int SECONDS_SLICE_MINUTES = 10;
    private static final long CHUNK = 10_000_000L;
    private static final long DAY = 86_400_000L;

    /** What a load did and how long it took. */
    public record Report(long events, long startMillis, long endMillis, double rawSeconds, double rollupSeconds) {
        public double rawEventsPerSecond() {
            return events / rawSeconds;
        }

        /** Raw events streamed through Java into aggregates per second (the 1 min rollup pass). */
        public double rollupEventsPerSecond() {
            return events / rollupSeconds;
        }
    }

    private HistoryLoader() {
    }

    /**
     * Appends the history to {@code store} (meant for an empty one) and builds its rollups.
     *
     * @param endMillis the history's end, a whole hour (queries then run with {@code now = endMillis})
     * @param progress  receives a line every few seconds of long work
     */
    public static Report load(AnalyticsStore store, long events, long seed, long endMillis, Consumer<String> progress)
            throws SQLException {
        if (events < 1) {
            throw new IllegalArgumentException("events must be at least 1, was " + events);
        }
        if (endMillis % Resolution.HOUR.millis() != 0) {
            throw new IllegalArgumentException("endMillis must be a whole hour (a multiple of 3600000), was " + endMillis);
        }
        long start = endMillis - DAYS * DAY;
        DuckDBConnection connection = store.connection();

        long rawStarted = System.nanoTime();
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (long lo = 0; lo < events; lo += CHUNK) {
                long hi = Math.min(events, lo + CHUNK);
                insert.setLong(1, start);
                insert.setDouble(2, (double) DAYS / events);
                insert.setLong(3, seed);
                insert.setLong(4, lo);
                insert.setLong(5, hi);
                insert.executeUpdate();
                double seconds = (System.nanoTime() - rawStarted) / 1e9;
                progress.accept(String.format("raw events: %,d of %,d (%,.0f events/s)", hi, events, hi / seconds));
            }
        }
        double rawSeconds = (System.nanoTime() - rawStarted) / 1e9;

        long rollupStarted = System.nanoTime();
        BatchRecompute.recompute(store, Resolution.MINUTE, start, endMillis, progress);
        double rollupSeconds = (System.nanoTime() - rollupStarted) / 1e9;
        progress.accept(String.format("rollup_1m from raw: %.1f s (%,.0f events/s)", rollupSeconds, events / rollupSeconds));

        long hourStarted = System.nanoTime();
        Compaction.rewrite(connection, Resolution.MINUTE, Resolution.HOUR, start, endMillis);
        progress.accept(String.format("rollup_1h from rollup_1m: %.1f s", (System.nanoTime() - hourStarted) / 1e9));
        long secondsFrom = endMillis - SECONDS_SLICE_MINUTES * Resolution.MINUTE.millis();
        BatchRecompute.recompute(store, Resolution.SECOND, secondsFrom, endMillis, progress);
        progress.accept("rollup_1s from raw for " + Instant.ofEpochMilli(secondsFrom) + " .. " + Instant.ofEpochMilli(endMillis));
        // What was built here must not be downsampled again by compaction.
        Compaction.setMark(connection, Resolution.MINUTE, endMillis);
        Compaction.setMark(connection, Resolution.HOUR, endMillis);
        return new Report(events, start, endMillis, rawSeconds, (System.nanoTime() - rollupStarted) / 1e9);
    }

    // Parameters: start ms, days per event, seed, first and last (exclusive) event index.
    private static final String INSERT = """
            INSERT INTO events
            SELECT time_ms, type, user_id, product, 1 + product % $CATEGORIES AS category,
                   CASE WHEN type IN (3, 4) THEN 199 + floor(25000 * r4 * r4) ELSE 0 END AS amount_cents,
                   CASE WHEN type IN (0, 2) THEN 500 + floor(1500 * exp(3.5 * r5 * r5)) ELSE 0 END AS latency_us
            FROM (
              SELECT CAST(start + (x + $AMPLITUDE * sin(2 * pi() * x) / (2 * pi())) * 86400000 AS BIGINT) AS time_ms,
                     CAST(CASE WHEN r3 < 0.40 THEN 0 WHEN r3 < 0.75 THEN 1 WHEN r3 < 0.90 THEN 2
                               WHEN r3 < 0.985 THEN 3 ELSE 4 END AS TINYINT) AS type,
                     1 + CAST(floor($USERS * r2 * r2) AS BIGINT) AS user_id,
                     1 + CAST(floor($PRODUCTS * r1 * r1 * r1) AS INTEGER) AS product,
                     r4, r5
              FROM (
                SELECT CAST(? AS BIGINT) AS start, i * CAST(? AS DOUBLE) AS x,
                       (hash(i * 8 + 1, seed) >> 11) / 9007199254740992.0 AS r1,
                       (hash(i * 8 + 2, seed) >> 11) / 9007199254740992.0 AS r2,
                       (hash(i * 8 + 3, seed) >> 11) / 9007199254740992.0 AS r3,
                       (hash(i * 8 + 4, seed) >> 11) / 9007199254740992.0 AS r4,
                       (hash(i * 8 + 5, seed) >> 11) / 9007199254740992.0 AS r5
                FROM (SELECT CAST(? AS BIGINT) AS seed), range(?, ?) t(i)
              )
            )
            """.replace("$CATEGORIES", Integer.toString(CATEGORIES)).replace("$USERS", Integer.toString(USERS))
            .replace("$PRODUCTS", Integer.toString(PRODUCTS))
            // Rate ∝ 1 / (1 + a·cos 2πx): peak over trough is (1 + a) / (1 − a).
            .replace("$AMPLITUDE", Double.toString((DIURNAL_PEAK_TO_TROUGH - 1.0) / (DIURNAL_PEAK_TO_TROUGH + 1.0)));
}
