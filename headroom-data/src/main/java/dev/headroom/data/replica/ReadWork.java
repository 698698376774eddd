package dev.headroom.data.replica;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A read to run where the router sends it. It may run more than once (on another server, when the first one's
 * connection broke), so it must not write.
 */
@FunctionalInterface
public interface ReadWork<T> {
    /**
     * @param connection a connection to the chosen server; the router closes it
     * @param visible    a position the read sees at least: every write whose token is at or below it is visible.
     *                   A cache can store it with what the read loaded, and refuse the entry to a later read whose
     *                   token is further on.
     */
    T run(Connection connection, ConsistencyToken visible) throws SQLException;
}
