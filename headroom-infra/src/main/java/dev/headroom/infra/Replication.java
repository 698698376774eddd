package dev.headroom.infra;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How far streaming replicas are behind their primary, read from the servers: {@code pg_stat_replication} and
 * {@code pg_current_wal_lsn()} on the primary, {@code pg_last_wal_replay_lsn()} on a replica. Works for any
 * PostgreSQL 10+ server, embedded or external; the user needs the {@code pg_monitor} role (or superuser) to see
 * other sessions' LSNs.
 *
 * <p>Each call opens one connection, bounded by {@link #TIMEOUT} (connect and every read), so that a frozen server
 * makes it fail instead of hang. Thread-safe: there is no state.
 */
public final class Replication {

    /** Bound of each step of a call (connect, login, query). */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final String STATUS = "SELECT application_name, state, sent_lsn::text, write_lsn::text, flush_lsn::text, "
            + "replay_lsn::text, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint, "
            + "EXTRACT(EPOCH FROM replay_lag)::float8 FROM pg_stat_replication";

    private Replication() {
    }

    /** Every replica connected to {@code primary} now, by name; a replica that is down or frozen past {@code wal_sender_timeout} (60 s) is absent. */
    public static List<ReplicaStatus> status(PostgresNode primary) throws SQLException {
        try (Connection connection = Probes.connect(primary, TIMEOUT);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(STATUS + " ORDER BY application_name")) {
            List<ReplicaStatus> all = new ArrayList<>();
            while (rs.next()) {
                all.add(row(rs));
            }
            return all;
        }
    }

    /** The replica named {@code replica} ({@code application_name}), if it is connected to {@code primary} now. */
    public static Optional<ReplicaStatus> status(PostgresNode primary, String replica) throws SQLException {
        try (Connection connection = Probes.connect(primary, TIMEOUT);
             PreparedStatement statement = connection.prepareStatement(STATUS + " WHERE application_name = ?")) {
            statement.setString(1, replica);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** {@code pg_current_wal_lsn()} of a primary: where its WAL ends now. */
    public static String currentLsn(PostgresNode primary) throws SQLException {
        return queryText(primary, "SELECT pg_current_wal_lsn()::text");
    }

    /** {@code pg_last_wal_replay_lsn()} of a replica: the WAL its queries see; {@code null} on a primary. */
    public static String replayLsn(PostgresNode replica) throws SQLException {
        return queryText(replica, "SELECT pg_last_wal_replay_lsn()::text");
    }

    /**
     * The byte position of an LSN in its text form {@code X/Y} (two hexadecimal 32-bit halves), so that LSNs compare
     * as numbers: a replica has seen a write when {@code lsn(replayLsn) >= lsn(commitLsn)}.
     *
     * @throws IllegalArgumentException if {@code text} is not an LSN
     */
    public static long lsn(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 1 || slash > 8 || text.length() - slash - 1 < 1 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("an LSN must be two hexadecimal numbers of up to 8 digits around a slash (e.g. 0/3000148), was " + text);
        }
        try {
            return Long.parseLong(text, 0, slash, 16) << 32 | Long.parseLong(text, slash + 1, text.length(), 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an LSN must be two hexadecimal numbers of up to 8 digits around a slash (e.g. 0/3000148), was " + text, e);
        }
    }

    private static ReplicaStatus row(ResultSet rs) throws SQLException {
        long lagBytes = rs.getLong(7);
        if (rs.wasNull()) {
            lagBytes = -1;
        }
        double lagSeconds = rs.getDouble(8);
        Duration lag = rs.wasNull() ? null : Duration.ofNanos(Math.round(lagSeconds * 1e9));
        return new ReplicaStatus(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), lagBytes, lag);
    }

    private static String queryText(PostgresNode node, String sql) throws SQLException {
        try (Connection connection = Probes.connect(node, TIMEOUT);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
