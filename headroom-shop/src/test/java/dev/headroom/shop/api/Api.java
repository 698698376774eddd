package dev.headroom.shop.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.TestShops;
import dev.headroom.testkit.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the API tests share: requests against the shared optimized shop, JSON reading, SQL look-ups on
 * the shared database and a raw-socket client for requests {@link HttpClient} refuses to send.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PROBLEM_JSON = "application/problem+json";
    /** ISO-8601 UTC as the API writes it: seconds, optional fraction, always {@code Z}. */
    static final String ISO_UTC = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";

    private Api() {
    }

    /** An HTTP answer, from {@link HttpClient} or from a raw socket. Header names are case-insensitive. */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }

        String contentType() {
            return header("Content-Type");
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    static Shop shop() {
        return TestShops.shop(Profile.OPTIMIZED);
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(shop().url() + path)).timeout(Duration.ofSeconds(30));
    }

    static Response send(HttpRequest request) {
        return of(TestShops.send(request));
    }

    static Response of(HttpResponse<String> r) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.headers().map().forEach((k, v) -> headers.put(k, String.join(", ", v)));
        return new Response(r.statusCode(), headers, r.body());
    }

    static Response get(String path) {
        return send(request(path).GET().build());
    }

    static Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Response postWithKey(String path, String key, String json) {
        return send(request(path).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Response patch(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** An admin write: {@link #patch} with the shop's admin token. */
    static Response adminPatch(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").header("Authorization", TestShops.admin(shop()))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** A GET on a given shop with a given client (for tests that run a shop of their own). */
    static HttpResponse<String> get(Shop shop, HttpClient client, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts a 200 (or other success) JSON answer and returns its body. */
    static JsonNode okJson(Response r, int status) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.contentType()).as("Content-Type of %s", r).isEqualTo("application/json");
        return r.json();
    }

    static JsonNode okJson(Response r) {
        return okJson(r, 200);
    }

    /** Asserts the problem+json shape: type, title, status (equal to the HTTP status), detail. */
    static JsonNode problem(Response r, int status) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.contentType()).as("Content-Type of %s", r).isEqualTo(PROBLEM_JSON);
        JsonNode body = r.json();
        assertThat(body.path("type").isTextual()).as("type in %s", body).isTrue();
        assertThat(body.path("type").asText()).as("type in %s", body).startsWith("https://");
        assertThat(body.path("title").isTextual()).as("title in %s", body).isTrue();
        assertThat(body.path("title").asText()).as("title in %s", body).isNotBlank();
        assertThat(body.path("status").isInt()).as("status in %s", body).isTrue();
        assertThat(body.path("status").asInt()).as("status in %s", body).isEqualTo(status);
        assertThat(body.path("detail").isTextual()).as("detail in %s", body).isTrue();
        assertThat(body.path("detail").asText()).as("detail in %s", body).isNotBlank();
        return body;
    }

    /** The {@code errors[].field} values of a problem, in order. */
    static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        return fields;
    }

    // ---- SQL ----

    private static Connection shared;

    /** A new connection of the test's own (for transactions the test holds). */
    static Connection connect() throws SQLException {
        return TestShops.database().getConnection();
    }

    /** One connection, reused, for the tests' look-ups (autocommit; opened again if it was lost). */
    private static synchronized Connection shared() throws SQLException {
        if (shared == null || !shared.isValid(2)) {
            shared = connect();
        }
        return shared;
    }

    /** Rows as column-name → value maps (timestamps as ISO-8601 UTC strings, as the API writes them). */
    static synchronized List<Map<String, Object>> rows(String sql, Object... args) {
        try (PreparedStatement ps = shared().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        String type = md.getColumnTypeName(i);
                        Object v = type.equals("timestamptz") ? iso(rs.getObject(i, OffsetDateTime.class)) : rs.getObject(i);
                        row.put(md.getColumnLabel(i), v);
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static Map<String, Object> row(String sql, Object... args) {
        List<Map<String, Object>> rows = rows(sql, args);
        assertThat(rows).as("rows of %s", sql).hasSize(1);
        return rows.getFirst();
    }

    static long longValue(String sql, Object... args) {
        return ((Number) row(sql, args).values().iterator().next()).longValue();
    }

    static List<Long> longs(String sql, Object... args) {
        return rows(sql, args).stream().map(r -> ((Number) r.values().iterator().next()).longValue()).toList();
    }

    static String iso(OffsetDateTime t) {
        return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(t.toInstant());
    }

    /** Row counts of the tables a request could change, in one statement. */
    static synchronized Map<String, Long> counts() {
        try (Statement st = shared().createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM orders) AS orders,"
                        + " (SELECT count(*) FROM order_items) AS order_items,"
                        + " (SELECT count(*) FROM idempotency_keys) AS idempotency_keys")) {
            rs.next();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (String t : List.of("users", "orders", "order_items", "idempotency_keys")) {
                counts.put(t, rs.getLong(t));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a transaction on {@code ours} holding the row lock on a user, which a {@code PATCH} of that user then waits for. */
    static void lockUser(Connection ours, long id) throws SQLException {
        ours.setAutoCommit(false);
        try (PreparedStatement ps = ours.prepareStatement("SELECT id FROM users WHERE id = ? FOR UPDATE")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    /** Waits until a backend of the shop is waiting for a lock (the PATCH is in flight, blocked on our row lock). */
    static void awaitBlockedOnLock(Connection ours) throws Exception {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'headroom-shop'"
                        + " AND wait_event_type = 'Lock' AND ? = ANY (pg_blocking_pids(pid))")) {
            ps.setInt(1, backendPid(ours));
            Await.until(Duration.ofSeconds(10), () -> {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }, waiting -> waiting > 0);
        }
    }

    private static int backendPid(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_backend_pid()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static Map<String, Object> userRow(long id) {
        return row("SELECT id, email, name, created_at, updated_at FROM users WHERE id = ?", id);
    }

    /** Puts a user's row back as it was (tests that PATCH clean up after themselves). */
    static synchronized void restoreUser(Map<String, Object> row) {
        try (PreparedStatement ps = shared().prepareStatement(
                "UPDATE users SET email = ?, name = ?, updated_at = ?::timestamptz WHERE id = ?")) {
            ps.setString(1, (String) row.get("email"));
            ps.setString(2, (String) row.get("name"));
            ps.setString(3, (String) row.get("updated_at"));
            ps.setLong(4, ((Number) row.get("id")).longValue());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- raw HTTP ----

    /** Sends bytes as they are on a new connection and reads the answer until the server closes it or 10 s pass. */
    static Response raw(int port, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException resetWhileSending) {
                // the server may answer and close before reading everything; read what it said
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    Response r = parseRaw(got.toString(StandardCharsets.UTF_8));
                    if (r != null) {
                        return r;
                    }
                }
            } catch (IOException closed) {
                // fall through: parse what arrived
            }
            Response r = parseRaw(got.toString(StandardCharsets.UTF_8));
            if (r == null) {
                throw new AssertionError("no complete HTTP response, got: " + got.toString(StandardCharsets.UTF_8));
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A complete response (headers and Content-Length bytes of body), or null while incomplete. */
    private static Response parseRaw(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return null;
        }
        String[] lines = text.substring(0, end).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        String length = headers.get("Content-Length");
        if (length == null || body.getBytes(StandardCharsets.UTF_8).length < Integer.parseInt(length)) {
            return null;
        }
        return new Response(Integer.parseInt(statusLine[1]), headers, body);
    }
}
