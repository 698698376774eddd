package dev.headroom.shop.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.TestShops;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Redis rate-limiting pattern in the shop, over real HTTP with real Redis: one limit per API key across nodes. */
class ClientRateLimitTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static HttpResponse<String> get(Shop shop, String path, String apiKey) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(shop.url() + path)).header("X-Api-Key", apiKey).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoNodesCountOneLimitPerKeyAndRefuseWith429AndTheHeaders() throws Exception {
        TestShops.shop(Profile.OPTIMIZED); // the data prepared; the two limited nodes below serve on it
        RateLimit limit = RateLimit.parse("3/min,key=header:X-Api-Key"); // per minute: no token comes back during the test
        String key = UUID.randomUUID().toString(); // the shared Redis outlives the test
        try (Shop a = Shop.serve(TestShops.config(Profile.OPTIMIZED).rateLimit(limit).build());
             Shop b = Shop.serve(TestShops.config(Profile.OPTIMIZED).rateLimit(limit).build())) {
            HttpResponse<String> first = get(a, "/products/1", key);
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"client\";q=3;w=60");
            assertThat(first.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"client\";r=2;t="));
            List<Integer> statuses = new ArrayList<>(List.of(first.statusCode()));
            statuses.add(get(b, "/products/1", key).statusCode());
            statuses.add(get(a, "/products/2", key).statusCode());
            HttpResponse<String> refused = get(b, "/products/1", key);
            statuses.add(refused.statusCode());
            assertThat(statuses).containsExactly(200, 200, 200, 429);
            assertThat(refused.headers().firstValue("content-type")).hasValue(Problems.CONTENT_TYPE);
            assertThat(refused.body()).contains("\"status\":429", "rate limit 'client' (3/min,key=header:X-Api-Key) reached");
            assertThat(refused.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 20L));
            assertThat(refused.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).startsWith("\"client\";r=0;t="));
            assertThat(get(a, "/products/1", "another key").statusCode()).isEqualTo(200);
            assertThat(get(a, "/health/ready", key).statusCode()).as("probes are never limited").isEqualTo(200);
        }
    }

    @Test
    void aBodyWaitsForItsRouteWhileRedisDecides() throws Exception {
        TestShops.shop(Profile.OPTIMIZED);
        try (Shop limited = Shop.serve(TestShops.config(Profile.OPTIMIZED).rateLimit(RateLimit.parse("1000/s")).build())) {
            HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(URI.create(limited.url() + "/users/3"))
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"Rate Limited\"}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            assertThat(patched.body()).contains("\"name\":\"Rate Limited\"");
            assertThat(patched.headers().firstValue("RateLimit-Policy")).isPresent();
        }
    }

    @Test
    void offByDefault() throws Exception {
        Shop shop = TestShops.shop(Profile.OPTIMIZED);
        assertThat(shop.config().rateLimit()).isNull();
        HttpResponse<String> r = get(shop, "/products/1", "k");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("RateLimit-Policy")).isEmpty();
    }
}
