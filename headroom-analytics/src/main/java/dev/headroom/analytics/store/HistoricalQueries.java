package dev.headroom.analytics.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.duckdb.DuckDBConnection;

/**
 * The named historical queries ({@link #NAMES}), each over completed buckets before {@code nowMillis}:
 * <ul>
 *   <li>{@code revenue-by-category-hourly}: revenue per hour and category, 30 days; exact on both sources.</li>
 *   <li>{@code top-products-week}: the 10 most viewed, carted or bought products of 7 days; rollups merge the
 *       hourly all-category frequent-items sketches (estimates within 3.5/1024 of the week's product events), raw is an
 *       exact GROUP BY.</li>
 *   <li>{@code unique-visitors-daily}: distinct users per UTC day, 30 days; rollups union the hourly HLLs
 *       (RSE 1.6 %), raw is DuckDB's {@code approx_count_distinct} (its own HLL, no bound documented; within
 *       5.4 % of exact per day on a 10M-event history here): an exact count distinct is about 1 s per 10M events.</li>
 *   <li>{@code orders-per-minute}: orders per minute of the last day, from {@code rollup_1m}; exact on both.</li>
 * </ul>
 * Not thread-safe: one connection, one caller at a time.
 */
public final class HistoricalQueries implements AutoCloseable {
    public static final List<String> NAMES = Arrays.stream(NamedQuery.values()).map(NamedQuery::queryName).toList();

    /** Where a query reads from. */
    public enum Source { ROLLUPS, RAW }

    private final DuckDBConnection connection;

    public HistoricalQueries(AnalyticsStore store) throws SQLException {
        connection = store.newConnection();
    }

    public QueryResult run(String name, Source source, long nowMillis) throws SQLException {
        NamedQuery query = NamedQuery.named(name);
        List<long[]> rows = source == Source.ROLLUPS ? query.rollups(connection, nowMillis) : query.raw(connection, nowMillis);
        return new QueryResult(name, source, query.columns(), rows);
    }

    /** Runs every named query on both sources {@code runs} times each (after a warm-up run) and times them. */
    public List<QueryTiming> measure(int runs, long nowMillis) throws SQLException {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, was " + runs);
        }
        List<QueryTiming> timings = new ArrayList<>();
        for (String name : NAMES) {
            for (Source source : Source.values()) {
                run(name, source, nowMillis);
                Histogram micros = new Histogram(3_600_000_000L, 3);
                for (int i = 0; i < runs; i++) {
                    long started = System.nanoTime();
                    run(name, source, nowMillis);
                    micros.recordValue((System.nanoTime() - started) / 1_000);
                }
                timings.add(new QueryTiming(name, source, runs, micros.getValueAtPercentile(50) / 1e3,
                        micros.getValueAtPercentile(99) / 1e3, micros.getMaxValue() / 1e3));
            }
        }
        return timings;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
