package dev.headroom.shop.db;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A data source whose connections the {@link DatabaseBreaker} hands out ({@code connector}): two sit around the pool,
 * one in front for requests ({@link DatabaseBreaker#borrow}), one behind for the pool's own connection adder
 * ({@link DatabaseBreaker#connectWhenReachable}).
 */
final class GuardedDataSource implements DataSource {
    @FunctionalInterface
    interface Connector {
        Connection connect(DataSource target) throws SQLException;
    }

    private final DataSource target;
    private final Connector connector;

    GuardedDataSource(DataSource target, Connector connector) {
        this.target = target;
        this.connector = connector;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connector.connect(target);
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
