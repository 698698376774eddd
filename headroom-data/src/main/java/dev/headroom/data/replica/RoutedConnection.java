package dev.headroom.data.replica;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A connection {@link ReplicaRouter#connect} chose for one read, and what that read sees. Close it when the read
 * is done (this closes the connection: a pooled one goes back to its pool). Not thread-safe: one read, one thread.
 */
public final class RoutedConnection implements AutoCloseable {
    private final ReplicaRouter router;
    /** The replica, or null on the primary. */
    final Replica replica;
    private final Connection connection;
    private final ConsistencyToken visible;
    private final long start;
    private boolean failed;
    private boolean closed;

    RoutedConnection(ReplicaRouter router, Replica replica, Connection connection, ConsistencyToken visible, long start) {
        this.router = router;
        this.replica = replica;
        this.connection = connection;
        this.visible = visible;
        this.start = start;
    }

    public Connection connection() {
        return connection;
    }

    /** A position the read sees at least: every write whose token is at or below it is visible (see {@link ReadWork}). */
    public ConsistencyToken visible() {
        return visible;
    }

    /** The replica's name, or {@code primary}. */
    public String server() {
        return replica == null ? "primary" : replica.name;
    }

    /**
     * A statement on this connection failed with {@code e}: true when the read may run again on a new connection
     * (a replica that is gone or cancelled it; a gone one takes no reads until it answers a poll again), false when
     * the error is the read's own or the primary's.
     */
    public boolean failover(SQLException e) {
        if (replica == null || failed || !ReplicaRouter.worthAnotherServer(e)) {
            return false;
        }
        failed = true;
        router.failed(replica, e);
        router.failedOver();
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // broken already; the pool drops it
        } finally {
            if (replica != null) {
                router.ended(replica, start, failed);
            } else {
                router.endedOnPrimary();
            }
        }
    }
}
