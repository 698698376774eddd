package dev.headroom.analytics.store;

import dev.headroom.analytics.event.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.duckdb.DuckDBConnection;

/**
 * Raw events and their rollups in one embedded DuckDB database (a file, or memory for tests), the schema
 * created on open. Tables: {@code events} (one row per event, time in epoch ms) and {@code rollup_1s},
 * {@code rollup_1m}, {@code rollup_1h} (one row per bucket and category: a count per {@link EventType},
 * revenue, late events, and the three sketches of a {@link dev.headroom.analytics.window.WindowAggregate}
 * as BLOBs); {@code rollup_1h} also has a row per hour for all categories together ({@code category = -1}).
 *
 * <p>Concurrency: every writer and query object takes a connection of its own from {@link #newConnection()},
 * so the rollup writer's thread, a raw writer and queries run side by side; DuckDB serializes what must be.
 * {@link #compact} is not to be called from two threads at once.
 */
public final class AnalyticsStore implements AutoCloseable {
    private final DuckDBConnection connection;
    private final Retention retention;
    private final String description;

    private AnalyticsStore(String url, Retention retention, String description) throws SQLException {
        this.retention = Objects.requireNonNull(retention, "retention must be set (Retention.DEFAULTS for the defaults)");
        this.connection = (DuckDBConnection) DriverManager.getConnection(url);
        this.description = description;
        try (Statement s = connection.createStatement()) {
            for (String ddl : Schema.statements()) {
                s.execute(ddl);
            }
        }
    }

    /** Opens (or creates) the database in {@code file}. */
    public static AnalyticsStore open(Path file, Retention retention) throws SQLException {
        Objects.requireNonNull(file, "file must be set");
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IllegalArgumentException("file's directory must exist: create " + parent + " first (file " + file + ")");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("file must be a database file, not a directory: " + file);
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(parent)) {
            throw new IllegalArgumentException("file must be writable: " + file);
        }
        return new AnalyticsStore("jdbc:duckdb:" + file.toAbsolutePath(), retention, file.toString());
    }

    /** A database in memory, gone when the store is closed. */
    public static AnalyticsStore inMemory(Retention retention) throws SQLException {
        return new AnalyticsStore("jdbc:duckdb:", retention, "in memory");
    }

    public Retention retention() {
        return retention;
    }

    /**
     * Downsamples settled buckets (1 s → 1 min → 1 h) and then deletes what {@link #retention()} no longer
     * keeps, as of wall-clock (or simulated) time {@code nowMillis}. Idempotent: safe to call again after a crash.
     */
    public void compact(long nowMillis) throws SQLException {
        Compaction.run(connection, retention, nowMillis);
    }

    /** How many raw events are stored. */
    public long rawEvents() throws SQLException {
        try (Statement s = connection.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A connection to the same database, for one thread. */
    DuckDBConnection newConnection() throws SQLException {
        return (DuckDBConnection) connection.duplicate();
    }

    /** The store's own connection: for the caller's thread only (compaction, loading). */
    DuckDBConnection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    @Override
    public String toString() {
        return "AnalyticsStore[" + description + "]";
    }
}
