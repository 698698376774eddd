package dev.headroom.shop.db;

import dev.headroom.data.replica.Consistency;
import dev.headroom.data.replica.ConsistencyToken;
import dev.headroom.data.replica.ReplicaRouter;
import dev.headroom.data.replica.RoutedConnection;
import dev.headroom.edge.deadline.Deadline;
import dev.headroom.edge.deadline.DeadlineExceededException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.jdbc.PgStatement;

/**
 * The JDBC of one request: prepared statements only, and a count of the statements run, so that
 * N+1 loading shows in the metrics. Takes its connection lazily from the {@link Database} and gives
 * it back on {@link #close()}. A read's Sql takes it through the {@link ReplicaRouter} at the read's consistency
 * level, also lazily: a request answered from a cache never borrows one. Not thread-safe: one request, one thread.
 *
 * <p>Within a request's {@link Deadline} ({@link #within}) no statement starts once it has passed, and each one that
 * starts is given the time left as pgjdbc's query timeout in milliseconds ({@link PgStatement#setQueryTimeoutMs}): at
 * the deadline the driver's shared timer cancels it on the server (SQLState 57014), and an enclosing
 * {@link #inTransaction} rolls back. The driver starts that timer as the statement executes and, when it fires, returns
 * only once the cancel is done (no cancel can reach the connection's next statement). Arming and disarming it costs
 * µs per statement and no round trip; a {@code SET statement_timeout} before each statement would cost one
 * (docs/patterns/deadlines.md has both measured).
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

    Sql(Database database, ReplicaRouter router, Consistency level) {
        this.database = database;
        this.router = router;
        this.level = level;
    }

    /** Whether this request still has time: no deadline, or one not passed. */
    public boolean hasTimeLeft() {
        return deadline == null || !deadline.expired();
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
        // Rounded up: 0 would mean no timeout at all. Set when prepared: each statement here runs once, just after.
        ps.unwrap(PgStatement.class).setQueryTimeoutMs(Math.max(1, Math.ceilDiv(deadline.remainingNanos(), 1_000_000L)));
        return ps;
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
