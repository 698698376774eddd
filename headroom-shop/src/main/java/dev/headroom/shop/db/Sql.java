package dev.headroom.shop.db;

import dev.headroom.data.replica.Consistency;
import dev.headroom.data.replica.ConsistencyToken;
import dev.headroom.data.replica.ReplicaRouter;
import dev.headroom.data.replica.RoutedConnection;
import dev.headroom.edge.deadline.Deadline;
import dev.headroom.edge.deadline.DeadlineExceededException;
import dev.headroom.edge.deadline.DeadlineTimer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC of one request: prepared statements only, and a count of the statements run, so that
 * N+1 loading shows in the metrics. Takes its connection lazily from the {@link Database} and gives
 * it back on {@link #close()}. A read's Sql takes it through the {@link ReplicaRouter} at the read's consistency
 * level, also lazily: a request answered from a cache never borrows one. Not thread-safe: one request, one thread.
 *
 * <p>Within a request's {@link Deadline} ({@link #within}) no statement starts once it has passed, and each one that
 * starts is armed on the {@link DeadlineTimer}: at the deadline {@link PreparedStatement#cancel()} stops it on the
 * server (SQLState 57014), and an enclosing {@link #inTransaction} rolls back. pgjdbc's cancel is safe against the
 * race (a statement no longer running is not cancelled; one being cancelled returns only once the cancel is done).
 * Arming costs no round trip; a {@code SET statement_timeout} before each statement would cost one, and pgjdbc's own
 * query timeout sends its cancels one after another from one timer thread, which fell behind under load
 * (docs/patterns/deadlines.md has the figures).
 */
public final class Sql implements AutoCloseable {
    /** Binds a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Maps the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private static final Binder NONE = ps -> { };

    private final Database database;
    /** Null for the primary's Sql. */
    private final ReplicaRouter router;
    private final Consistency level;
    private Connection connection;
    private RoutedConnection routed;
    private int statements;
    private Deadline deadline;
    /** The statements armed at the deadline, disarmed on {@link #close()}: one entry per statement of the request. */
    private final List<DeadlineTimer.Armed> armed = new ArrayList<>();

    Sql(Database database, ReplicaRouter router, Consistency level) {
        this.database = database;
        this.router = router;
        this.level = level;
    }

    /** Its statements run within {@code deadline} (null: no deadline but the server's {@link Database#STATEMENT_TIMEOUT_MS}). */
    public Sql within(Deadline deadline) {
        this.deadline = deadline;
        return this;
    }

    /** The token a read must see (read-your-writes), or null: caches hold no entry for it that is older. */
    public ConsistencyToken token() {
        return level instanceof Consistency.ReadYourWrites ryw ? ryw.token() : null;
    }

    /** The log position this Sql's reads see at least (after its first statement); 0 when not known. */
    public long visible() {
        return routed == null ? 0 : routed.visible().lsn();
    }

    /**
     * A statement failed with {@code e}: true when it ran on a replica that is gone (or cancelled it) and the whole
     * read may run again on a new Sql, which will not use that replica.
     */
    public boolean failover(SQLException e) {
        return routed != null && routed.failover(e);
    }

    /**
     * After a write committed through this Sql: the token that lets the client read it on any node; null when it
     * ran nothing, or without the {@code replicas} switch.
     */
    public ConsistencyToken tokenAfterCommit() throws SQLException {
        ReplicaRouter r = database.router();
        return r == null || connection == null ? null : r.tokenAfterCommit(connection);
    }

    public <T> List<T> list(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = prepare(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    /** The first row, or null when there is none. */
    public <T> T one(String sql, Binder binder, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = prepare(sql)) {
            binder.bind(ps);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? mapper.map(rs) : null;
            }
        }
    }

    public <T> T one(String sql, RowMapper<T> mapper) throws SQLException {
        return one(sql, NONE, mapper);
    }

    public int update(String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = prepare(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        Connection c = connection();
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (RuntimeException | SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Rolls back the current transaction's work so far (used to abandon a lost race, then read the winner). */
    public void rollback() throws SQLException {
        connection().rollback();
    }

    /** @throws DeadlineExceededException when the deadline passed before this statement, which then neither runs nor counts */
    public PreparedStatement prepare(String sql) throws SQLException {
        if (deadline == null) {
            statements++;
            return connection().prepareStatement(sql);
        }
        if (deadline.expired()) {
            throw new DeadlineExceededException("statement " + (statements + 1) + " of the request ran");
        }
        statements++;
        PreparedStatement ps = connection().prepareStatement(sql);
        armed.add(DeadlineTimer.shared().at(deadline, () -> cancel(ps)));
        return ps;
    }

    private static void cancel(PreparedStatement ps) {
        try {
            ps.cancel();
        } catch (SQLException unreachable) {
            // the database did not take the cancel: the statement runs on, to the server's statement timeout at most
        }
    }

    /** Statements run through this object so far. */
    public int statements() {
        return statements;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            if (router != null) {
                routed = router.connect(level);
                connection = routed.connection();
            } else {
                connection = database.connection();
            }
        }
        return connection;
    }

    @Override
    public void close() {
        armed.forEach(DeadlineTimer.Armed::disarm); // before the connection goes back: no cancel may reach its next user
        armed.clear();
        if (routed != null) {
            routed.close();
            routed = null;
            connection = null;
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the pool or the server already dropped it; nothing to give back
            }
            connection = null;
        }
    }
}
