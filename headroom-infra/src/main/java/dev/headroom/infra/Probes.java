package dev.headroom.infra;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/** "Does it serve now?" for each kind of server, as a client would ask; false instead of an exception. */
final class Probes {

    private Probes() {
    }

    /** Connects and runs {@code SELECT 1}; false on any failure. */
    static boolean postgres(PostgresNode node, Duration timeout) {
        try {
            selectOne(node, timeout);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Connects as {@code node}'s user and runs {@code SELECT 1}, each step bounded by {@code timeout} (see {@link #connect}). */
    static void selectOne(PostgresNode node, Duration timeout) throws SQLException {
        try (Connection connection = connect(node, timeout);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT 1")) {
            rs.next();
        }
    }

    /**
     * A connection as {@code node}'s user whose connect, login and every read are bounded by {@code timeout} (whole
     * seconds, rounded up), so that a frozen server makes the caller fail instead of hang. The caller closes it.
     */
    static Connection connect(PostgresNode node, Duration timeout) throws SQLException {
        String seconds = Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000));
        Properties properties = new Properties();
        if (node.user() != null) {
            properties.setProperty("user", node.user());
        }
        if (node.password() != null) {
            properties.setProperty("password", node.password());
        }
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", seconds);
        return DriverManager.getConnection(node.jdbcUrl(), properties);
    }

    static boolean redis(String host, int port, Duration timeout) {
        try {
            return RedisProcess.ping(host, port, timeout).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code GET url} answered with 200. */
    static boolean http(String url, Duration timeout) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout((int) Math.max(1, timeout.toMillis()));
            connection.setReadTimeout((int) Math.max(1, timeout.toMillis()));
            try {
                return connection.getResponseCode() == 200;
            } finally {
                connection.disconnect();
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
