package dev.headroom.analytics.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Downsampling (1 s → 1 min → 1 h) and retention. A coarse row is the merge of the fine rows of its
 * bucket: counts and revenue add exactly; the sketches merge with their bounds kept (HLL unions lose no
 * accuracy at equal lgK, KLL and frequent items keep their stated errors against the merged stream). What
 * downsampling trades: time resolution (a 1 h row cannot say which minute was busy) and the ability to
 * ask sketch questions of sub-buckets, for storage that no longer grows with time (24 × categories rows a
 * day kept forever instead of 86,400 × categories).
 *
 * <p>Each coarse table remembers how far it was downsampled ({@code downsampled}); a run rewrites the
 * settled buckets after that mark and moves it, then deletes expired rows, so a crash half way is repaired
 * by the next run.
 */
final class Compaction {
    private Compaction() {
    }

    static void run(DuckDBConnection connection, Retention retention, long nowMillis) throws SQLException {
        long settled = nowMillis - retention.settle().toMillis();
        downsample(connection, Resolution.SECOND, Resolution.MINUTE, Resolution.MINUTE.bucketOf(settled));
        downsample(connection, Resolution.MINUTE, Resolution.HOUR, Resolution.HOUR.bucketOf(settled));
        deleteBefore(connection, "events", "time_ms", nowMillis - retention.raw().toMillis());
        deleteBefore(connection, Resolution.SECOND.table(), "bucket", nowMillis - retention.perSecond().toMillis());
        deleteBefore(connection, Resolution.MINUTE.table(), "bucket", nowMillis - retention.perMinute().toMillis());
    }

    private static void downsample(DuckDBConnection connection, Resolution source, Resolution target, long until)
            throws SQLException {
        Long from = mark(connection, target);
        if (from == null) {
            from = firstBucket(connection, source, target);
            if (from == null) {
                return;
            }
        }
        if (from < until) {
            rewrite(connection, source, target, from, until);
            setMark(connection, target, until);
        }
    }

    /** Replaces target's rows in [from, to) by merges of source's rows there. */
    static long rewrite(DuckDBConnection connection, Resolution source, Resolution target, long from, long to)
            throws SQLException {
        RollupRows.deleteRange(connection, target, from, to);
        long rows = 0;
        try (DuckDBAppender appender = RollupRows.appender(connection, target);
             PreparedStatement select = connection.prepareStatement("SELECT " + Schema.ROLLUP_COLUMNS + " FROM "
                     + source.table() + " WHERE bucket >= ? AND bucket < ? ORDER BY bucket // ?, category")) {
            BucketFolder folder = new BucketFolder(target, row -> RollupRows.append(appender, row));
            select.setLong(1, from);
            select.setLong(2, to);
            select.setLong(3, target.millis());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    RollupRow row = RollupRows.read(rs);
                    folder.at(target.bucketOf(row.bucket()), row.category()).merge(row.aggregate());
                    folder.addLate(row.late());
                    rows++;
                }
            }
            folder.finish();
            appender.flush();
        }
        return rows;
    }

    /** Records that target holds the downsampled buckets before {@code until} (after a bulk load). */
    static void setMark(Connection connection, Resolution target, long until) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM downsampled WHERE target = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO downsampled VALUES (?, ?)")) {
            delete.setString(1, target.table());
            delete.executeUpdate();
            insert.setString(1, target.table());
            insert.setLong(2, until);
            insert.executeUpdate();
        }
    }

    private static Long mark(Connection connection, Resolution target) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT until_ms FROM downsampled WHERE target = ?")) {
            select.setString(1, target.table());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Long firstBucket(Connection connection, Resolution source, Resolution target) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT min(bucket) FROM " + source.table());
             ResultSet rs = select.executeQuery()) {
            rs.next();
            long first = rs.getLong(1);
            return rs.wasNull() ? null : target.bucketOf(first);
        }
    }

    private static void deleteBefore(Connection connection, String table, String column, long cutoff) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE " + column + " < ?")) {
            delete.setLong(1, cutoff);
            delete.executeUpdate();
        }
    }
}
