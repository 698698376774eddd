package dev.headroom.shop.api;

import static dev.headroom.shop.api.Api.counts;
import static dev.headroom.shop.api.Api.fields;
import static dev.headroom.shop.api.Api.okJson;
import static dev.headroom.shop.api.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /orders} with an {@code Idempotency-Key}: the first request creates the order (201), every
 * retry answers 200 with that same order and creates nothing, a different body under the same key is
 * refused (422), and concurrent first attempts still create exactly one order.
 */
class IdempotencyTest {
    private static final String ORDER = "{\"userId\": 12, \"items\": [{\"productId\": 3, \"quantity\": 2}, {\"productId\": 4, \"quantity\": 1}]}";

    private static String newKey() {
        return "test-" + UUID.randomUUID();
    }

    private static long ordersWithKey(String key) {
        return Api.longValue("SELECT count(*) FROM idempotency_keys WHERE key = ?", key);
    }

    @Test
    void retryWithTheSameKeyAndBodyReturnsTheFirstOrder() {
        String key = newKey();
        Map<String, Long> before = counts();

        Api.Response first = Api.postWithKey("/orders", key, ORDER);
        JsonNode created = okJson(first, 201);
        assertThat(first.header("Location")).isEqualTo("/orders/" + created.get("id").asLong());

        Api.Response retry = Api.postWithKey("/orders", key, ORDER);
        JsonNode replayed = okJson(retry, 200);
        assertThat(replayed).isEqualTo(created);

        // the same body with other whitespace and key order is the same request
        JsonNode again = okJson(Api.postWithKey("/orders", key,
                "{ \"items\": [ {\"quantity\": 2, \"productId\": 3}, {\"productId\": 4, \"quantity\": 1} ], \"userId\": 12 }"), 200);
        assertThat(again).isEqualTo(created);

        Map<String, Long> after = counts();
        assertThat(after.get("orders")).isEqualTo(before.get("orders") + 1);
        assertThat(after.get("order_items")).isEqualTo(before.get("order_items") + 2);
        assertThat(after.get("idempotency_keys")).isEqualTo(before.get("idempotency_keys") + 1);
        assertThat(Api.longValue("SELECT order_id FROM idempotency_keys WHERE key = ?", key)).isEqualTo(created.get("id").asLong());
    }

    @Test
    void sameKeyWithADifferentBodyIsRefused() {
        String key = newKey();
        JsonNode created = okJson(Api.postWithKey("/orders", key, ORDER), 201);
        Map<String, Long> before = counts();

        Api.Response other = Api.postWithKey("/orders", key,
                "{\"userId\": 12, \"items\": [{\"productId\": 3, \"quantity\": 3}, {\"productId\": 4, \"quantity\": 1}]}");

        JsonNode body = problem(other, 422);
        assertThat(fields(body)).containsExactly("Idempotency-Key");
        assertThat(body.get("detail").asText())
                .isEqualTo("Idempotency-Key: was already used for a different request (order " + created.get("id").asLong() + ")");
        assertThat(counts()).isEqualTo(before);
        // and the key still answers with its first order
        assertThat(okJson(Api.postWithKey("/orders", key, ORDER), 200)).isEqualTo(created);
    }

    @Test
    void concurrentFirstAttemptsCreateExactlyOneOrder() throws Exception {
        String key = newKey();
        Map<String, Long> before = counts();
        int n = 8;
        // HTTP/1.1: one connection per request, so the eight really arrive at once
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpRequest request = Api.request("/orders").header("Content-Type", "application/json")
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(ORDER)).build();
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return Api.of(client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()));
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();

            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> f : answers) {
                responses.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(responses).extracting(Api.Response::status).as("%s", responses)
                    .containsOnly(200, 201).filteredOn(s -> s == 201).hasSize(1);
            JsonNode created = responses.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json();
            for (Api.Response r : responses) {
                assertThat(okJson(r, r.status())).isEqualTo(created);
            }
            Map<String, Long> after = counts();
            assertThat(after.get("orders")).isEqualTo(before.get("orders") + 1);
            assertThat(after.get("order_items")).isEqualTo(before.get("order_items") + 2);
            assertThat(ordersWithKey(key)).isEqualTo(1);
        } finally {
            threads.shutdownNow();
            client.close();
        }
    }

    @Test
    void withoutAKeyTwoIdenticalPostsCreateTwoOrders() {
        Map<String, Long> before = counts();

        JsonNode a = okJson(Api.post("/orders", ORDER), 201);
        JsonNode b = okJson(Api.post("/orders", ORDER), 201);

        assertThat(a.get("id").asLong()).isNotEqualTo(b.get("id").asLong());
        assertThat(a.get("totalCents")).isEqualTo(b.get("totalCents"));
        Map<String, Long> after = counts();
        assertThat(after.get("orders")).isEqualTo(before.get("orders") + 2);
        assertThat(after.get("order_items")).isEqualTo(before.get("order_items") + 4);
        assertThat(after.get("idempotency_keys")).isEqualTo(before.get("idempotency_keys"));
    }

    @Test
    void aRefusedFirstAttemptDoesNotUseUpTheKey() {
        String key = newKey();
        Map<String, Long> before = counts();

        JsonNode refused = problem(Api.postWithKey("/orders", key, "{\"userId\": 999999999, \"items\": [{\"productId\": 3, \"quantity\": 2}]}"), 422);
        assertThat(fields(refused)).containsExactly("userId");
        assertThat(counts()).isEqualTo(before);
        assertThat(ordersWithKey(key)).isZero();

        // the key is still free for a good request
        okJson(Api.postWithKey("/orders", key, ORDER), 201);
        assertThat(okJson(Api.postWithKey("/orders", key, ORDER), 200).get("userId").asLong()).isEqualTo(12);
    }
}
