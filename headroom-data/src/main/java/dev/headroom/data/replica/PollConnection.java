package dev.headroom.data.replica;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Where a poller asks its server for a log position. Given a data source of its own (unpooled), it keeps one
 * connection open and opens another only after a failure; given the reads' pool, it borrows per poll, so that it
 * never holds one of the reads' connections between polls. One thread uses it.
 */
final class PollConnection {
    private final DataSource source;
    private final boolean keep;
    private Connection kept;

    PollConnection(DataSource source, boolean keep) {
        this.source = source;
        this.keep = keep;
    }

    /** The first column of the one row {@code sql} returns, as text (null when SQL NULL). */
    String one(String sql) throws SQLException {
        if (!keep) {
            try (Connection c = source.getConnection()) {
                return one(c, sql);
            }
        }
        try {
            if (kept == null) {
                kept = source.getConnection();
            }
            return one(kept, sql);
        } catch (SQLException | RuntimeException e) {
            close();
            throw e;
        }
    }

    void close() {
        if (kept != null) {
            try {
                kept.close();
            } catch (SQLException ignored) {
                // broken already
            }
            kept = null;
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
