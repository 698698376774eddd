package dev.headroom.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * One PostgreSQL server.
 *
 * @param name     role in the topology, e.g. {@code primary}
 * @param host     host to connect to ({@code 127.0.0.1} for the embedded server)
 * @param port     TCP port
 * @param database database name
 * @param user     user name, or {@code null} when an external URL did not give one (the driver then uses its default)
 * @param password password, or {@code null} when there is none (the embedded server trusts local connections)
 * @param embedded {@code true} when this {@link Infra} started the server and will stop it
 */
public record PostgresNode(String name, String host, int port, String database, String user, String password, boolean embedded) {

    public PostgresNode {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(database, "database must not be null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
    }

    /** {@code jdbc:postgresql://host:port/database}, without credentials (use {@link #user()} and {@link #password()}). */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + Urls.hostForUrl(host) + ":" + port + "/" + database;
    }

    /** A new JDBC connection as {@link #user()} (with the password, when there is one); the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password == null ? "" : password);
    }

    /** Leaves the password out, so that a node can be logged. */
    @Override
    public String toString() {
        return "PostgresNode[name=" + name + ", url=" + jdbcUrl() + ", user=" + user
                + ", password=" + (password == null ? "none" : "***") + ", embedded=" + embedded + "]";
    }
}
