package dev.headroom.shop.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.infra.Infra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.TestShops;
import dev.headroom.shop.http.Consistencies;
import dev.headroom.shop.seed.SeedSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Read-your-writes across two shop nodes on a primary and a streaming replica, caches included. The replica
 * applies each commit 300 ms late on purpose ({@code recovery_min_apply_delay}), or not at all while its replay is
 * paused ({@code pg_wal_replay_pause()}), so a write is missing on it for a while: a read that does not carry the
 * write's token can show the old state, one that does must not.
 */
class ReadYourWritesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Infra infra;
    private static Shop a;
    private static Shop b;

    @BeforeAll
    static void twoNodesOnAReplicatedPrimary() throws Exception {
        infra = Infra.builder().temporaryDataDir().postgresPort(0).redisPort(0).replicas(1).durable(false)
                .postgresSetting("recovery_min_apply_delay", "300ms").start(); // a standby setting: the primary ignores it
        PostgresNode pg = infra.topology().primary();
        ShopConfig config = ShopConfig.builder().switches(Profile.OPTIMIZED.switches()).port(0)
                .database(pg.jdbcUrl(), pg.user(), pg.password()).redis(infra.topology().redis().uri())
                .replicas(infra.topology().replicas().stream().map(PostgresNode::jdbcUrl).toList()).build();
        a = Shop.start(config, new SeedSpec(200, 50, 500, 7), line -> { });
        b = Shop.serve(config);
    }

    @AfterEach
    void resume() throws SQLException {
        onReplica("SELECT pg_wal_replay_resume()");
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, infra}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // the next one still closes
            }
        }
    }

    @Test
    void aBuyerSeesTheNewOrderOnTheOtherNodeWithTheTokenAndCanMissItWithout() throws Exception {
        int withToken = 0;
        int without = 0;
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> placed = send(a, "POST", "/orders", "{\"userId\": 12, \"items\": [{\"productId\": 3, \"quantity\": 1}]}", null);
            assertThat(placed.statusCode()).isEqualTo(201);
            String token = placed.headers().firstValue(Consistencies.TOKEN).orElseThrow();
            long id = JSON.readTree(placed.body()).get("id").asLong();
            withToken += newest(send(b, "GET", "/users/12/orders?limit=5", null, token)) == id ? 0 : 1;
            without += newest(send(b, "GET", "/users/12/orders?limit=5", null, null)) == id ? 0 : 1;
        }
        assertThat(withToken).as("reads with the token that missed the buyer's order").isZero();
        assertThat(without).as("reads without it, on the replica 300 ms behind").isPositive();
    }

    @Test
    void aCachedEntryOlderThanTheTokenIsNotTheAnswer() throws Exception {
        assertThat(send(b, "GET", "/users/5", null, null).statusCode()).isEqualTo(200);
        onReplica("SELECT pg_wal_replay_pause()");
        HttpResponse<String> patched = send(a, "PATCH", "/users/5", "{\"name\": \"Renamed Through A\"}", null);
        assertThat(patched.statusCode()).isEqualTo(200);
        String token = patched.headers().firstValue(Consistencies.TOKEN).orElseThrow();
        // Once the invalidation has reached B, a read without the token loads from the paused replica: the old
        // name, which B's caches now hold, tagged with the replica's position...
        String old = "";
        for (int i = 0; i < 50 && !old.equals(nameOf(send(b, "GET", "/users/5", null, null))); i++) {
            old = nameOf(send(b, "GET", "/users/5", null, null));
            Thread.sleep(20);
        }
        assertThat(old).isNotEqualTo("Renamed Through A");
        // ...which a read with the token does not take, from L1 or L2: it reads the write.
        assertThat(nameOf(send(b, "GET", "/users/5", null, token))).isEqualTo("Renamed Through A");
        assertThat(nameOf(sendWithCookie(b, "/users/5", token))).as("the cookie does as the header").isEqualTo("Renamed Through A");
    }

    @Test
    void aWriteHandsBackItsTokenAsHeaderAndCookie() throws Exception {
        HttpResponse<String> patched = send(a, "PATCH", "/products/7", "{\"description\": \"token test\"}", null);
        assertThat(patched.statusCode()).isEqualTo(200);
        String token = patched.headers().firstValue(Consistencies.TOKEN).orElseThrow();
        assertThat(token).matches("[0-9A-F]{1,8}/[0-9A-F]{1,8}");
        assertThat(patched.headers().firstValue("Set-Cookie").orElseThrow())
                .startsWith(Consistencies.TOKEN + "=" + token).contains("Path=/").containsIgnoringCase("HttpOnly").contains("SameSite=Lax");
    }

    @Test
    void aBadTokenOrLevelIsRefusedAndChangesNothing() throws Exception {
        HttpResponse<String> read = send(b, "GET", "/users/6", null, "not-a-token");
        assertThat(read.statusCode()).isEqualTo(400);
        assertThat(read.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(read.body()).contains(Consistencies.TOKEN).contains("a consistency token is a log position");

        String before = nameOf(send(a, "GET", "/users/6", null, null));
        HttpResponse<String> write = send(a, "PATCH", "/users/6", "{\"name\": \"Never Stored\"}", "0/zz");
        assertThat(write.statusCode()).isEqualTo(400);
        assertThat(nameOf(send(a, "GET", "/users/6", null, null))).isEqualTo(before);

        HttpResponse<String> level = send(b, HttpRequest.newBuilder(URI.create(b.url() + "/users/6"))
                .header(Consistencies.LEVEL, "fresh-please").GET());
        assertThat(level.statusCode()).isEqualTo(400);
        assertThat(level.body()).contains(Consistencies.LEVEL).contains("must be primary, read-your-writes");
        HttpResponse<String> primary = send(b, HttpRequest.newBuilder(URI.create(b.url() + "/users/6"))
                .header(Consistencies.LEVEL, "primary").GET());
        assertThat(primary.statusCode()).isEqualTo(200);
    }

    // --- helpers

    private static long newest(HttpResponse<String> orders) throws Exception {
        assertThat(orders.statusCode()).as(orders.body()).isEqualTo(200);
        JsonNode items = JSON.readTree(orders.body()).get("items");
        return items.isEmpty() ? -1 : items.get(0).get("id").asLong();
    }

    private static String nameOf(HttpResponse<String> user) throws Exception {
        assertThat(user.statusCode()).as(user.body()).isEqualTo(200);
        return JSON.readTree(user.body()).get("name").asText();
    }

    private static HttpResponse<String> send(Shop shop, String method, String path, String body, String token) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        if (token != null) {
            r.header(Consistencies.TOKEN, token);
        }
        if (path.startsWith("/products/")) {
            r.header("Authorization", TestShops.admin(shop)); // an admin write
        }
        return send(shop, r);
    }

    private static HttpResponse<String> sendWithCookie(Shop shop, String path, String token) {
        return send(shop, HttpRequest.newBuilder(URI.create(shop.url() + path)).header("Cookie", Consistencies.TOKEN + "=" + token).GET());
    }

    private static HttpResponse<String> send(Shop shop, HttpRequest.Builder request) {
        return TestShops.send(request.timeout(Duration.ofSeconds(30)).build());
    }

    private static void onReplica(String sql) throws SQLException {
        PostgresNode replica = infra.topology().replicas().get(0);
        try (Connection c = DriverManager.getConnection(replica.jdbcUrl(), replica.user(), ""); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
