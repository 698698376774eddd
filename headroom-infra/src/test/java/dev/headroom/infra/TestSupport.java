package dev.headroom.infra;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Talks to the servers the way a client would: JDBC for PostgreSQL, raw RESP over a socket for Redis. */
final class TestSupport {

    private TestSupport() {
    }

    static Connection connect(PostgresNode node) throws SQLException {
        return DriverManager.getConnection(node.jdbcUrl(), node.user(), node.password());
    }

    /** The first column of the first row. */
    static String queryOne(PostgresNode node, String sql) throws SQLException {
        try (Connection c = connect(node); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void execute(PostgresNode node, String sql) throws SQLException {
        try (Connection c = connect(node); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Sends one command as a RESP array; returns "+OK"-style status lines, bulk strings, integers or lists. */
    static Object redis(RedisNode node, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(node.host(), node.port()), 2000);
            socket.setSoTimeout(5000);
            StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
            for (String arg : args) {
                command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(command.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readReply(new BufferedInputStream(socket.getInputStream()));
        }
    }

    private static Object readReply(InputStream in) throws IOException {
        String line = readLine(in);
        char type = line.charAt(0);
        String rest = line.substring(1);
        switch (type) {
            case '+', '-':
                return line;
            case ':':
                return Long.parseLong(rest);
            case '$': {
                int length = Integer.parseInt(rest);
                if (length < 0) {
                    return null;
                }
                byte[] bytes = in.readNBytes(length + 2);
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(rest);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(readReply(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** A port nothing listens on (bound and released; fine for "connection refused" tests). */
    static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, Ports.LOOPBACK)) {
            return socket.getLocalPort();
        }
    }

    /** Running: a zombie has exited, it only waits for init to reap it. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(p -> !ServerProcesses.ended(p)).orElse(false);
    }
}
