package dev.headroom.shop.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.TestShops;
import dev.headroom.testkit.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two optimized nodes (l1+l2) on one PostgreSQL and one Redis, as a cluster behind a balancer would run:
 * a write through either is read back through the other, cached reads run no SQL, and HTTP validators
 * turn a repeated read into a 304.
 */
class ShopCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far below the L1 TTL (60 s): passing within it proves the invalidation, not the expiry. */
    private static final Duration COHERENCE_BOUND = Duration.ofSeconds(3);
    private static Shop a;
    private static Shop b;

    @BeforeAll
    static void twoNodes() throws Exception {
        TestShops.stop();
        a = Shop.start(TestShops.config(Profile.OPTIMIZED).build(), TestShops.SPEC, line -> { });
        b = Shop.serve(TestShops.config(Profile.OPTIMIZED).build());
        assertThat(a.config().cache()).isEqualTo(CacheMode.L1_L2);
    }

    @AfterAll
    static void stop() {
        a.close();
        b.close();
    }

    @Test
    void aUserChangedThroughOneNodeIsReadThroughTheOther() throws Exception {
        long user = 321;
        String before = json(get(b, "/users/" + user)).get("name").asText();
        get(b, "/users/" + user); // now in b's L1
        String renamed = before + " (renamed)";
        try {
            assertThat(patch(a, "/users/" + user, "{\"name\": \"" + renamed + "\"}").statusCode()).isEqualTo(200);
            eventually(() -> json(get(b, "/users/" + user)).get("name").asText(), renamed);
        } finally {
            patch(a, "/users/" + user, "{\"name\": \"" + before + "\"}");
        }
        eventually(() -> json(get(b, "/users/" + user)).get("name").asText(), before);
    }

    @Test
    void anOrderShowsItsBuyersNewNameOnBothNodes() throws Exception {
        long order = 4242;
        JsonNode cached = json(get(a, "/orders/" + order));
        get(b, "/orders/" + order);
        long user = cached.get("userId").asLong();
        String before = cached.get("buyer").get("name").asText();
        String renamed = before + " Jr.";
        try {
            assertThat(patch(b, "/users/" + user, "{\"name\": \"" + renamed + "\"}").statusCode()).isEqualTo(200);
            for (Shop node : new Shop[] {a, b}) {
                eventually(() -> json(get(node, "/orders/" + order)).get("buyer").get("name").asText(), renamed);
            }
        } finally {
            patch(b, "/users/" + user, "{\"name\": \"" + before + "\"}");
        }
    }

    @Test
    void aPriceChangeThroughOneNodeIsReadThroughTheOther() throws Exception {
        long product = 99;
        long price = json(get(a, "/products/" + product)).get("priceCents").asLong();
        get(a, "/products/" + product);
        try {
            assertThat(patch(b, "/products/" + product, "{\"priceCents\": " + (price + 1) + "}").statusCode()).isEqualTo(200);
            eventually(() -> json(get(a, "/products/" + product)).get("priceCents").asText(), "" + (price + 1));
        } finally {
            patch(b, "/products/" + product, "{\"priceCents\": " + price + "}");
        }
    }

    @Test
    void aCachedReadRunsNoSql() {
        long order = 5151;
        double[] before = statements(a);
        get(a, "/orders/" + order);
        double[] cold = statements(a);
        get(a, "/orders/" + order);
        double[] warm = statements(a);
        assertThat(cold[1] - before[1]).as("a cold order: the order and its buyer").isEqualTo(2);
        assertThat(warm[1] - cold[1]).as("the same order again").isZero();
        assertThat(warm[0] - before[0]).isEqualTo(2);
    }

    @Test
    void aRepeatedReadWithItsETagIsNotModifiedUntilTheProductChanges() throws Exception {
        long product = 123;
        HttpResponse<String> first = get(a, "/products/" + product);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=5");
        HttpResponse<String> again = send(HttpRequest.newBuilder(uri(b, "/products/" + product)).header("If-None-Match", etag).GET());
        assertThat(again.statusCode()).as("the other node computes the same tag").isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(send(HttpRequest.newBuilder(uri(a, "/products/" + product)).header("If-None-Match", "\"other\", W/" + etag).GET())
                .statusCode()).as("a list, with a weak form of the tag").isEqualTo(304);
        long price = json(first).get("priceCents").asLong();
        try {
            patch(a, "/products/" + product, "{\"priceCents\": " + (price + 7) + "}");
            // b learns of the change by the invalidation message, so within the coherence bound, not at once
            HttpResponse<String> changed = Await.until(COHERENCE_BOUND,
                    () -> send(HttpRequest.newBuilder(uri(b, "/products/" + product)).header("If-None-Match", etag).GET()),
                    r -> r.statusCode() != 304);
            assertThat(changed.statusCode()).isEqualTo(200);
            assertThat(changed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
        } finally {
            patch(a, "/products/" + product, "{\"priceCents\": " + price + "}");
        }
        assertThat(get(a, "/users/5").headers().firstValue("Cache-Control")).hasValue("private, no-cache");
    }

    @Test
    void aNewOrderReplacesItsIdsCachedAbsence() throws Exception {
        String order = "{\"userId\": 12, \"items\": [{\"productId\": 3, \"quantity\": 1}]}";
        long first = json(post(a, "/orders", order)).get("id").asLong();
        assertThat(get(b, "/orders/" + (first + 1)).statusCode()).isEqualTo(404); // cached as absent for 5 s
        long second = json(post(a, "/orders", order)).get("id").asLong();
        assertThat(second).as("ids are sequential with nothing else placing orders").isEqualTo(first + 1);
        eventually(() -> "" + get(b, "/orders/" + second).statusCode(), "200");
    }

    @Test
    void warmedProductsAreReadWithoutSql() throws Exception {
        java.util.List<String> lines = new java.util.ArrayList<>();
        a.warmCaches(lines::add);
        assertThat(lines).singleElement().asString().startsWith("cache: warmed ");
        double[] before = statements(b, "/products/:id");
        for (long id = 900; id < 920; id++) {
            assertThat(get(b, "/products/" + id).statusCode()).isEqualTo(200);
        }
        double[] after = statements(b, "/products/:id");
        assertThat(after[0] - before[0]).isEqualTo(20);
        assertThat(after[1] - before[1]).as("statements for 20 products never read before").isZero();
    }

    @Test
    void aShopThatWillWarmIsNotReadyUntilItHas() throws Exception {
        try (Shop c = Shop.serve(TestShops.config(Profile.OPTIMIZED).warmOnStart(true).build())) {
            var before = get(c, "/health/ready");
            assertThat(before.statusCode()).isEqualTo(503);
            assertThat(before.body()).contains("warming its caches");
            c.warmCaches(line -> { });
            assertThat(get(c, "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    private static double[] statements(Shop shop) {
        return statements(shop, "/orders/:id");
    }

    /** {count, total} of the statements-per-request summary of GET on a route on a node. */
    private static double[] statements(Shop shop, String route) {
        var summary = shop.registry().find("shop.sql.statements.per.request").tag("method", "GET").tag("route", route).summary();
        return summary == null ? new double[] {0, 0} : new double[] {summary.count(), summary.totalAmount()};
    }

    /** Polls until {@code read} gives {@code expected}; fails with the last value once the coherence bound passes. */
    private static void eventually(java.util.concurrent.Callable<String> read, String expected) {
        Await.until(COHERENCE_BOUND, read, expected::equals);
    }

    private static URI uri(Shop shop, String path) {
        return URI.create(shop.url() + path);
    }

    private static HttpResponse<String> get(Shop shop, String path) {
        return TestShops.get(shop, path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return TestShops.send(request.timeout(Duration.ofSeconds(30)).build());
    }

    private static HttpResponse<String> patch(Shop shop, String path, String json) {
        return send(HttpRequest.newBuilder(uri(shop, path)).header("Content-Type", "application/json")
                .header("Authorization", TestShops.admin(shop)).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpResponse<String> post(Shop shop, String path, String json) {
        return send(HttpRequest.newBuilder(uri(shop, path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }
}
