package dev.headroom.data.replica;

import java.sql.SQLTransientException;

/**
 * The read was shed: every replica lags past the bound and the primary already takes its share of reads. Worth a
 * retry after a moment; a service answers 503 with {@code Retry-After}.
 */
public final class ReplicaUnavailableException extends SQLTransientException {
    /** SQLState of the shed read: class 08 (connection exception), "no server for the read". */
    public static final String SQL_STATE = "08HR1";

    ReplicaUnavailableException(String message) {
        super(message, SQL_STATE);
    }
}
