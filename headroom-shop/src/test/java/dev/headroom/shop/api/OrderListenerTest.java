package dev.headroom.shop.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.TestShops;
import dev.headroom.shop.orders.OrderListener.PlacedOrder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The shop's order listener (its event path to analytics): told once of each committed order with what
 * was bought, never of a replay under the same {@code Idempotency-Key}, never of a refused order; and a
 * listener that throws does not fail the order.
 */
class OrderListenerTest {
    private static final String ORDER = "{\"userId\": 12, \"items\": [{\"productId\": 3, \"quantity\": 2}, {\"productId\": 4, \"quantity\": 1}]}";

    @Test
    void toldOncePerCommittedOrderAndNeverOfAReplayOrARefusal() throws Exception {
        TestShops.shop(Profile.BASELINE); // the data prepared; the node below serves on it
        List<PlacedOrder> told = new CopyOnWriteArrayList<>();
        try (Shop shop = Shop.serve(TestShops.config(Profile.BASELINE).orderListener(told::add).build())) {
            String key = "listener-" + UUID.randomUUID();
            HttpResponse<String> first = post(shop, ORDER, key);
            HttpResponse<String> replay = post(shop, ORDER, key);
            HttpResponse<String> refused = post(shop, "{\"userId\": 12, \"items\": [{\"productId\": 999999999, \"quantity\": 1}]}", null);

            assertThat(first.statusCode()).isEqualTo(201);
            assertThat(replay.statusCode()).isEqualTo(200);
            assertThat(refused.statusCode()).isEqualTo(422);
            JsonNode created = Api.JSON.readTree(first.body());
            assertThat(told).hasSize(1);
            PlacedOrder order = told.getFirst();
            assertThat(order.orderId()).isEqualTo(created.get("id").asLong());
            assertThat(order.userId()).isEqualTo(12);
            assertThat(order.totalCents()).isEqualTo(created.get("totalCents").asLong());
            assertThat(order.items()).extracting(PlacedOrder.Item::productId).containsExactly(3L, 4L);
            assertThat(order.items()).allSatisfy(item -> assertThat(item.category()).isNotBlank());
            assertThat(order.items().stream().mapToLong(PlacedOrder.Item::lineTotalCents).sum()).isEqualTo(order.totalCents());
        }
    }

    @Test
    void aListenerThatThrowsDoesNotFailTheOrder() throws Exception {
        TestShops.shop(Profile.BASELINE);
        AtomicBoolean called = new AtomicBoolean();
        try (Shop shop = Shop.serve(TestShops.config(Profile.BASELINE).orderListener(order -> {
            called.set(true);
            throw new IllegalStateException("analytics is down");
        }).build())) {
            HttpResponse<String> response = post(shop, ORDER, null);
            assertThat(response.statusCode()).isEqualTo(201);
            assertThat(called).isTrue();
            long id = Api.JSON.readTree(response.body()).get("id").asLong();
            assertThat(Api.longValue("SELECT count(*) FROM orders WHERE id = ?", id)).isEqualTo(1);
        }
    }

    private static HttpResponse<String> post(Shop shop, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + shop.port() + "/orders"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return TestShops.send(request.build());
    }
}
