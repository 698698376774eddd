package dev.headroom.analytics.store;

import dev.headroom.analytics.event.EventType;
import dev.headroom.analytics.window.WindowAggregate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Reads and writes rollup rows in {@link Schema#ROLLUP_COLUMNS} order. */
final class RollupRows {
    private RollupRows() {
    }

    static void append(DuckDBAppender appender, RollupRow row) throws SQLException {
        WindowAggregate aggregate = row.aggregate();
        appender.beginRow().append(row.bucket()).append(row.category());
        for (long count : aggregate.counts()) {
            appender.append(count);
        }
        appender.append(aggregate.revenueCents()).append(row.late())
                .append(aggregate.usersBytes()).append(aggregate.latencyBytes()).append(aggregate.productsBytes())
                .endRow();
    }

    /** The row at the cursor of a result set selected as {@code SELECT ROLLUP_COLUMNS}. */
    static RollupRow read(ResultSet rs) throws SQLException {
        long[] counts = new long[EventType.COUNT];
        for (int t = 0; t < counts.length; t++) {
            counts[t] = rs.getLong(3 + t);
        }
        int next = 3 + counts.length;
        WindowAggregate aggregate = WindowAggregate.fromParts(counts, rs.getLong(next),
                rs.getBytes(next + 2), rs.getBytes(next + 3), rs.getBytes(next + 4));
        return new RollupRow(rs.getLong(1), rs.getInt(2), aggregate, rs.getLong(next + 1));
    }

    /** The rows with bucket in [from, to), by bucket then category. */
    static List<RollupRow> read(Connection connection, Resolution resolution, long from, long to) throws SQLException {
        List<RollupRow> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT " + Schema.ROLLUP_COLUMNS + " FROM "
                + resolution.table() + " WHERE bucket >= ? AND bucket < ? ORDER BY bucket, category")) {
            select.setLong(1, from);
            select.setLong(2, to);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(read(rs));
                }
            }
        }
        return rows;
    }

    /** Deletes the rows with bucket in [from, to): the first half of rewriting a range. */
    static void deleteRange(Connection connection, Resolution resolution, long from, long to) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM " + resolution.table() + " WHERE bucket >= ? AND bucket < ?")) {
            delete.setLong(1, from);
            delete.setLong(2, to);
            delete.executeUpdate();
        }
    }

    static DuckDBAppender appender(DuckDBConnection connection, Resolution resolution) throws SQLException {
        return connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, resolution.table());
    }
}
