package dev.headroom.shop.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.TestShops;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The {@code admission} switch over real HTTP and PostgreSQL: with a pool of 3, one connection is kept for checkout
 * and the other routes' bulkhead holds 2. Two PATCHes of a user whose row the test has locked fill that bulkhead;
 * the third is shed at once with 503 and Retry-After and changes nothing, while checkout is still served.
 */
class AdmissionTest {
    private static final long USER = 43;

    @Test
    void aFullBulkheadShedsFastWhileCheckoutIsServed() throws Exception {
        TestShops.shop(Profile.OPTIMIZED); // migrated, seeded, at the optimized index set
        TestShops.stop();
        Map<String, Object> before = Api.userRow(USER);
        Switches switches = Switches.NONE.with(Switch.INDEXES).with(Switch.SINGLE_QUERY).with(Switch.POOL).with(Switch.ADMISSION)
                .withCache(CacheMode.NONE);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        try (Shop shop = Shop.serve(TestShops.config(switches).poolSize(3).build()); Connection lock = Api.connect()) {
            Api.lockUser(lock, USER);
            for (int i = 0; i < 2; i++) {
                held.add(client.sendAsync(patch(shop, "Held " + i), HttpResponse.BodyHandlers.ofString()));
            }
            awaitWaiting(2);
            long ordersBefore = TestShops.count("orders");

            HttpResponse<String> shed = client.send(patch(shop, "Shed"), HttpResponse.BodyHandlers.ofString());
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(shed.headers().firstValue("Content-Type")).hasValue(Api.PROBLEM_JSON);
            assertThat(Api.parse(shed.body()).get("detail").asText()).contains("limit of other requests in flight");

            HttpResponse<String> checkout = client.send(HttpRequest.newBuilder(URI.create(shop.url() + "/orders"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\": 7, \"items\": [{\"productId\": 3, \"quantity\": 1}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(checkout.statusCode()).as("checkout while the other routes' bulkhead is full: %s", checkout.body()).isEqualTo(201);
            assertThat(held).as("the two PATCHes still wait for the row lock").noneMatch(CompletableFuture::isDone);
            assertThat(TestShops.count("orders")).isEqualTo(ordersBefore + 1);

            lock.commit();
            for (CompletableFuture<HttpResponse<String>> h : held) {
                assertThat(h.get().statusCode()).isEqualTo(200);
            }
            assertThat(Api.userRow(USER).get("name")).as("the shed PATCH changed nothing").isIn("Held 0", "Held 1");
            String metrics = client.send(HttpRequest.newBuilder(URI.create(shop.url() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("headroom_admission_bulkhead_rejected_total{route_class=\"other\"} 1.0")
                    .contains("headroom_admission_limit ").contains("headroom_admission_admitted_total{priority=\"critical\"} 1.0");
        } finally {
            Api.restoreUser(before);
        }
    }

    private static HttpRequest patch(Shop shop, String name) {
        return HttpRequest.newBuilder(URI.create(shop.url() + "/users/" + USER)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\"}")).build();
    }

    /** Until {@code n} of the shop's backends wait for a lock (both PATCHes blocked, each holding a connection). */
    private static void awaitWaiting(int n) throws Exception {
        Await.until(Duration.ofSeconds(10), () -> Api.longValue(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'headroom-shop' AND wait_event_type = 'Lock'"),
                waiting -> waiting >= n);
    }
}
