package dev.headroom.shop.db;

import java.sql.SQLTransientConnectionException;

/** A request refused without touching the pool: the {@link DatabaseBreaker} is open. SQLState 08001, no stack trace. */
public final class DatabaseUnreachableException extends SQLTransientConnectionException {
    private final String reason;

    DatabaseUnreachableException(String reason) {
        super("the database is unreachable: " + reason, "08001");
        this.reason = reason;
    }

    /** Why: the breaker's last probe failure. */
    public String reason() {
        return reason;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // refused by the thousand while the database is down: a trace would say nothing
    }
}
