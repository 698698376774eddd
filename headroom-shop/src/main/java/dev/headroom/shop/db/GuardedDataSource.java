package dev.headroom.shop.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source that asks the {@link DatabaseBreaker} before each connection ({@code before}: refuse, or wait) and tells
 * it of each connect that failed for want of the database. Two sit around the pool: one in front, for requests, and one
 * behind, for the pool's own connection adder.
 */
final class GuardedDataSource implements DataSource {
    @FunctionalInterface
    interface Before {
        void run() throws SQLException;
    }

    private final DataSource target;
    private final Before before;
    private final DatabaseBreaker breaker;

    GuardedDataSource(DataSource target, Before before, DatabaseBreaker breaker) {
        this.target = target;
        this.before = before;
        this.breaker = breaker;
    }

    @Override
    public Connection getConnection() throws SQLException {
        before.run();
        try {
            return target.getConnection();
        } catch (SQLException e) {
            if (DatabaseBreaker.connectionClass(e)) {
                breaker.suspect();
            }
            throw e;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the shop's connections all use the configured user");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }
}
