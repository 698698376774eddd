package dev.headroom.shop.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.TestShops;
import dev.headroom.shop.cache.CacheMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cache hits, and the 304s that follow from them, are answered on the event loop without the hop to a
 * virtual thread, in every cache mode with an L1. The proof is the in-flight limit, which only the hop
 * takes: these shops have one permit, and a {@code PATCH} waiting on a row lock the test holds keeps it.
 * Every hop is then refused with 503, so what still gets its 200 or 304 did not hop. It ran no SQL
 * either, by the shop's own statement metric.
 */
class CacheHitsOnTheLoopTest {
    /** The user whose PATCH holds the one permit; no request below reads it. */
    private static final long LOCKED_USER = 43;
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void database() {
        TestShops.shop(Profile.OPTIMIZED); // the database migrated, seeded and at the optimized index set
        TestShops.stop();
    }

    @AfterAll
    static void client() {
        CLIENT.close();
    }

    @ParameterizedTest
    @EnumSource(value = CacheMode.class, names = {"L1", "L1_L2", "LRU"})
    void hitsAnd304sNeedNoHopWhileMissesStillDo(CacheMode mode) throws Throwable {
        try (Shop shop = start(mode)) {
            HttpResponse<String> product = get(shop, "/products/7");
            HttpResponse<String> order = get(shop, "/orders/11");
            long buyer = Api.JSON.readTree(order.body()).get("userId").asLong();
            assertThat(buyer).isNotEqualTo(LOCKED_USER);
            HttpResponse<String> user = get(shop, "/users/" + buyer);
            double[] before = statements(shop);

            withTheOnePermitTaken(shop, () -> {
                assertSameAnswer(get(shop, "/products/7"), product);
                assertSameAnswer(get(shop, "/orders/11"), order);
                assertSameAnswer(get(shop, "/users/" + buyer), user);
                HttpResponse<String> notModified = get(shop, "/products/7", product.headers().firstValue("ETag").orElseThrow());
                assertThat(notModified.statusCode()).isEqualTo(304);
                assertThat(get(shop, "/products/8").statusCode()).as("a miss hops, and finds no permit").isEqualTo(503);
            });
            double[] during = statements(shop);
            assertThat(during[0] - before[0]).as("requests measured: the 503 ran nothing").isEqualTo(4);
            assertThat(during[1] - before[1]).as("statements they ran").isZero();

            HttpResponse<String> miss = get(shop, "/products/8");
            assertThat(miss.statusCode()).as(miss.body()).isEqualTo(200);
            assertThat(Api.JSON.readTree(miss.body()).get("id").asLong()).isEqualTo(8);
            withTheOnePermitTaken(shop, () -> assertSameAnswer(get(shop, "/products/8"), miss));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CacheMode.class, names = {"L1", "L1_L2", "LRU"})
    void anOrderIsAnsweredOnTheLoopOnlyWhenItsBuyerIsCachedToo(CacheMode mode) throws Throwable {
        try (Shop shop = start(mode)) {
            long buyer = Api.JSON.readTree(get(shop, "/orders/12").body()).get("userId").asLong();
            assertThat(buyer).isNotEqualTo(LOCKED_USER);
            Map<String, Object> row = Api.userRow(buyer);
            String renamed = row.get("name") + " (loop)";
            try {
                assertThat(patch(shop, "/users/" + buyer, "{\"name\": \"" + renamed + "\"}").statusCode()).isEqualTo(200);
                withTheOnePermitTaken(shop, () -> assertThat(get(shop, "/orders/12").statusCode())
                        .as("the order is cached, its buyer no longer").isEqualTo(503));
                HttpResponse<String> fresh = get(shop, "/orders/12");
                assertThat(Api.JSON.readTree(fresh.body()).get("buyer").get("name").asText()).isEqualTo(renamed);
                withTheOnePermitTaken(shop, () -> assertSameAnswer(get(shop, "/orders/12"), fresh));
            } finally {
                patch(shop, "/users/" + buyer, "{\"name\": \"" + row.get("name") + "\"}"); // so no cache keeps the new name
                Api.restoreUser(row);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CacheMode.class, names = {"L1", "L1_L2", "LRU"})
    void aWriteMakesTheNextReadFreshWithItsOwnETag(CacheMode mode) throws Throwable {
        try (Shop shop = start(mode)) {
            HttpResponse<String> old = get(shop, "/products/9");
            String oldTag = old.headers().firstValue("ETag").orElseThrow();
            long price = Api.JSON.readTree(old.body()).get("priceCents").asLong();
            try {
                HttpResponse<String> patched = patch(shop, "/products/9", "{\"priceCents\": " + (price + 1) + "}");
                assertThat(patched.statusCode()).isEqualTo(200);
                HttpResponse<String> fresh = get(shop, "/products/9");
                assertThat(fresh.body()).isEqualTo(patched.body());
                String freshTag = fresh.headers().firstValue("ETag").orElseThrow();
                assertThat(freshTag).isNotEqualTo(oldTag);
                withTheOnePermitTaken(shop, () -> {
                    assertSameAnswer(get(shop, "/products/9", oldTag), fresh);
                    assertThat(get(shop, "/products/9", freshTag).statusCode()).isEqualTo(304);
                });
            } finally {
                patch(shop, "/products/9", "{\"priceCents\": " + price + "}");
            }
        }
    }

    private static Shop start(CacheMode mode) throws Exception {
        return Shop.serve(TestShops.config(Profile.OPTIMIZED).cache(mode).maxInFlight(1).build());
    }

    /** Runs {@code body} while a {@code PATCH} holds the shop's one in-flight permit, waiting on a row lock of ours. */
    private static void withTheOnePermitTaken(Shop shop, Executable body) throws Throwable {
        Map<String, Object> before = Api.userRow(LOCKED_USER);
        try (Connection lock = Api.connect()) {
            Api.lockUser(lock, LOCKED_USER);
            CompletableFuture<HttpResponse<String>> holder = CLIENT.sendAsync(patchRequest(shop, "/users/" + LOCKED_USER,
                    "{\"name\": \"Permit Holder\"}"), HttpResponse.BodyHandlers.ofString());
            Api.awaitBlockedOnLock(lock);
            body.execute();
            lock.commit();
            assertThat(holder.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        } finally {
            Api.restoreUser(before);
        }
    }

    private static void assertSameAnswer(HttpResponse<String> actual, HttpResponse<String> expected) {
        assertThat(actual.statusCode()).as(actual.body()).isEqualTo(expected.statusCode());
        assertThat(actual.body()).isEqualTo(expected.body());
        assertThat(actual.headers().firstValue("ETag")).isEqualTo(expected.headers().firstValue("ETag"));
    }

    /** {count, total} of the statements-per-request summaries of every GET route. */
    private static double[] statements(Shop shop) {
        double[] sums = new double[2];
        shop.registry().find("shop.sql.statements.per.request").tag("method", "GET").summaries().forEach(s -> {
            sums[0] += s.count();
            sums[1] += s.totalAmount();
        });
        return sums;
    }

    private static HttpResponse<String> get(Shop shop, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(Shop shop, String path, String ifNoneMatch) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(10))
                .header("If-None-Match", ifNoneMatch).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> patch(Shop shop, String path, String json) throws Exception {
        return CLIENT.send(patchRequest(shop, path, json), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest patchRequest(Shop shop, String path, String json) {
        return HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", TestShops.admin(shop))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build();
    }
}
