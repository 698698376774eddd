package dev.headroom.analytics.store;

import dev.headroom.analytics.event.EventBatch;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends events to the {@code events} table through DuckDB's appender (rows buffered in native column
 * chunks, no SQL per row). Rows become visible to queries at {@link #flush()} (and at {@link #close()}).
 * Not thread-safe: one owner, on a connection of its own.
 */
public final class RawEventWriter implements AutoCloseable {
    private final DuckDBConnection connection;
    private final DuckDBAppender appender;

    public RawEventWriter(AnalyticsStore store) throws SQLException {
        connection = store.newConnection();
        appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events");
    }

    /** Appends every event of {@code batch}; the batch is only read, and may be reused afterwards. */
    public void append(EventBatch batch) throws SQLException {
        for (int i = 0, n = batch.size(); i < n; i++) {
            appender.beginRow()
                    .append(batch.time(i))
                    .append((byte) batch.typeCode(i))
                    .append(batch.user(i))
                    .append(batch.product(i))
                    .append(batch.category(i))
                    .append(batch.amountCents(i))
                    .append(batch.latencyMicros(i))
                    .endRow();
        }
    }

    /** Makes what was appended durable and visible. */
    public void flush() throws SQLException {
        appender.flush();
    }

    @Override
    public void close() throws SQLException {
        try {
            appender.close();
        } finally {
            connection.close();
        }
    }
}
