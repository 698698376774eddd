package dev.headroom.shop.api;

import static dev.headroom.shop.api.Api.ISO_UTC;
import static dev.headroom.shop.api.Api.counts;
import static dev.headroom.shop.api.Api.get;
import static dev.headroom.shop.api.Api.longs;
import static dev.headroom.shop.api.Api.okJson;
import static dev.headroom.shop.api.Api.patch;
import static dev.headroom.shop.api.Api.post;
import static dev.headroom.shop.api.Api.row;
import static dev.headroom.shop.api.Api.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The happy path of every endpoint against the shared optimized shop, checked field by field against
 * the database: JSON shapes, integer cents, ISO-8601 UTC timestamps, numeric ids, keyset paging.
 */
class EndpointContractTest {

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertUser(JsonNode json, Map<String, Object> row) {
        assertThat(names(json)).containsExactly("id", "email", "name", "createdAt", "updatedAt");
        assertThat(json.get("id").isIntegralNumber()).isTrue();
        assertThat(json.get("id").asLong()).isEqualTo(((Number) row.get("id")).longValue());
        assertThat(json.get("email").asText()).isEqualTo(row.get("email"));
        assertThat(json.get("name").asText()).isEqualTo(row.get("name"));
        assertThat(json.get("createdAt").asText()).matches(ISO_UTC).isEqualTo(row.get("created_at"));
        assertThat(json.get("updatedAt").asText()).matches(ISO_UTC).isEqualTo(row.get("updated_at"));
    }

    private static void assertProduct(JsonNode json, Map<String, Object> row) {
        assertThat(names(json)).containsExactly("id", "name", "category", "priceCents", "description", "createdAt");
        assertThat(json.get("id").isIntegralNumber()).isTrue();
        assertThat(json.get("id").asLong()).isEqualTo(((Number) row.get("id")).longValue());
        assertThat(json.get("name").asText()).isEqualTo(row.get("name"));
        assertThat(json.get("category").asText()).isEqualTo(row.get("category"));
        assertThat(json.get("priceCents").isIntegralNumber()).as("priceCents is integer cents").isTrue();
        assertThat(json.get("priceCents").asLong()).isEqualTo(((Number) row.get("price_cents")).longValue());
        assertThat(json.get("description").asText()).isEqualTo(row.get("description"));
        assertThat(json.get("createdAt").asText()).matches(ISO_UTC).isEqualTo(row.get("created_at"));
    }

    // ---- users ----

    @Test
    void getUserById() {
        JsonNode json = okJson(get("/users/123"));
        assertUser(json, Api.userRow(123));
    }

    @Test
    void findUsersByEmail() {
        String email = (String) row("SELECT email FROM users WHERE id = 321").get("email");
        List<Long> expected = longs("SELECT id FROM users WHERE email = ? ORDER BY id", email);

        JsonNode json = okJson(get("/users?email=" + enc(email)));

        assertThat(names(json)).containsExactly("items", "next");
        assertThat(json.get("next").isNull()).isTrue();
        List<Long> ids = new ArrayList<>();
        for (JsonNode u : json.get("items")) {
            assertUser(u, Api.userRow(u.get("id").asLong()));
            assertThat(u.get("email").asText()).isEqualTo(email);
            ids.add(u.get("id").asLong());
        }
        assertThat(ids).contains(321L).isEqualTo(expected);

        JsonNode none = okJson(get("/users?email=" + enc("nobody-" + System.nanoTime() + "@example.com")));
        assertThat(none.get("items")).isEmpty();
        assertThat(none.get("next").isNull()).isTrue();
    }

    @Test
    void patchUserChangesNameAndEmail() throws Exception {
        long id = 77;
        Map<String, Object> before = Api.userRow(id);
        try {
            String tag = Long.toString(System.nanoTime());
            String name = "Contract Tester " + tag;
            String email = "contract-" + tag + "@example.com";
            Thread.sleep(5); // updatedAt has microsecond precision; make sure it can move

            JsonNode patched = okJson(patch("/users/" + id, "{\"name\": \"" + name + "\", \"email\": \"" + email + "\"}"));

            assertThat(patched.get("id").asLong()).isEqualTo(id);
            assertThat(patched.get("name").asText()).isEqualTo(name);
            assertThat(patched.get("email").asText()).isEqualTo(email);
            assertThat(patched.get("createdAt").asText()).isEqualTo(before.get("created_at"));
            assertThat(Instant.parse(patched.get("updatedAt").asText()))
                    .isAfter(Instant.parse((String) before.get("updated_at")));
            assertUser(patched, Api.userRow(id));

            JsonNode read = okJson(get("/users/" + id));
            assertThat(read).isEqualTo(patched);
            JsonNode byEmail = okJson(get("/users?email=" + enc(email)));
            assertThat(byEmail.get("items")).containsExactly(patched);

            // name only: the email stays, updatedAt moves again
            Thread.sleep(5);
            JsonNode renamed = okJson(patch("/users/" + id, "{\"name\": \"  " + name + " II  \"}"));
            assertThat(renamed.get("name").asText()).as("the name is stripped").isEqualTo(name + " II");
            assertThat(renamed.get("email").asText()).isEqualTo(email);
            assertThat(Instant.parse(renamed.get("updatedAt").asText()))
                    .isAfter(Instant.parse(patched.get("updatedAt").asText()));
            assertThat(okJson(get("/users/" + id))).isEqualTo(renamed);
        } finally {
            Api.restoreUser(before);
        }
    }

    // ---- products ----

    @Test
    void getProductById() {
        JsonNode json = okJson(get("/products/456"));
        assertProduct(json, row("SELECT * FROM products WHERE id = 456"));
    }

    @Test
    void productsOfACategoryPageThroughEveryProductOnceInIdOrder() {
        // a category with several pages of 7
        String category = (String) row("SELECT category FROM products GROUP BY category HAVING count(*) > 21"
                + " ORDER BY count(*), category LIMIT 1").get("category");
        List<Long> expected = longs("SELECT id FROM products WHERE category = ? ORDER BY id", category);

        List<Long> seen = walk("/products?category=" + enc(category) + "&limit=7", 7, p -> {
            assertProduct(p, row("SELECT * FROM products WHERE id = ?", p.get("id").asLong()));
            assertThat(p.get("category").asText()).isEqualTo(category);
        });

        assertThat(seen).isEqualTo(expected);
        assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
    }

    @Test
    void productSearchFindsAProductByAWordOfItsName() {
        Map<String, Object> product = row("SELECT id, name FROM products WHERE id = 250");
        String word = Pattern.compile("[^\\p{Alpha}]+").splitAsStream((String) product.get("name"))
                .filter(w -> w.length() >= 4)
                .findFirst().orElseThrow(() -> new AssertionError("no word in " + product));
        List<Long> expected = longs("SELECT id FROM products WHERE to_tsvector('english', name || ' ' || description)"
                + " @@ websearch_to_tsquery('english', ?) ORDER BY id", word);

        List<Long> seen = walk("/products?q=" + enc(word) + "&limit=100", 100, p -> { });

        assertThat(seen).contains(((Number) product.get("id")).longValue()).isEqualTo(expected);

        // q and category together narrow the search
        String category = (String) row("SELECT category FROM products WHERE id = 250").get("category");
        List<Long> both = walk("/products?q=" + enc(word) + "&category=" + enc(category) + "&limit=5", 5,
                p -> assertThat(p.get("category").asText()).isEqualTo(category));
        assertThat(both).contains(250L).isSubsetOf(expected);
    }

    /** Follows {@code next} from {@code first} to the last page; returns the ids seen in order. */
    private static List<Long> walk(String first, int limit, java.util.function.Consumer<JsonNode> check) {
        List<Long> ids = new ArrayList<>();
        String path = first;
        for (int page = 0; page < 1000; page++) {
            JsonNode json = okJson(get(path));
            assertThat(names(json)).containsExactly("items", "next");
            JsonNode items = json.get("items");
            assertThat(items.size()).isLessThanOrEqualTo(limit);
            for (JsonNode p : items) {
                assertThat(p.get("id").isIntegralNumber()).isTrue();
                check.accept(p);
                ids.add(p.get("id").asLong());
            }
            JsonNode next = json.get("next");
            if (next.isNull()) {
                return ids;
            }
            assertThat(next.isTextual()).isTrue();
            assertThat(items.size()).as("a page before the last is full").isEqualTo(limit);
            path = first + "&after=" + enc(next.asText());
        }
        throw new AssertionError("more than 1000 pages from " + first);
    }

    // ---- orders ----

    @Test
    void userOrdersSinceADayNewestFirstPageByPage() {
        // a user with a few pages of orders (the busiest have hundreds: slow to walk 7 at a time)
        long user = longs("SELECT user_id FROM orders GROUP BY user_id ORDER BY abs(count(*) - 60), user_id LIMIT 1").getFirst();
        // a day in the middle of this user's orders, so that 'since' actually filters
        String since = (String) row("SELECT to_char(percentile_disc(0.5) WITHIN GROUP (ORDER BY created_at) AT TIME ZONE 'UTC',"
                + " 'YYYY-MM-DD') AS day FROM orders WHERE user_id = ?", user).get("day");
        List<Map<String, Object>> expected = rows("SELECT id, user_id, status, created_at, item_count, total_cents FROM orders"
                + " WHERE user_id = ? AND created_at >= ?::date AT TIME ZONE 'UTC' ORDER BY created_at DESC, id DESC", user, since);
        long all = Api.longValue("SELECT count(*) FROM orders WHERE user_id = ?", user);
        assertThat(expected.size()).as("orders since " + since).isGreaterThan(14).isLessThan((int) all);

        List<JsonNode> seen = new ArrayList<>();
        String first = "/users/" + user + "/orders?since=" + since + "&limit=7";
        String path = first;
        for (int page = 0; ; page++) {
            assertThat(page).isLessThan(1000);
            JsonNode json = okJson(get(path));
            assertThat(names(json)).containsExactly("items", "next");
            assertThat(json.get("items").size()).isLessThanOrEqualTo(7);
            json.get("items").forEach(seen::add);
            if (json.get("next").isNull()) {
                break;
            }
            assertThat(json.get("items").size()).isEqualTo(7);
            path = first + "&after=" + enc(json.get("next").asText());
        }

        Instant sinceInstant = Instant.parse(since + "T00:00:00Z");
        assertThat(seen).hasSameSizeAs(expected);
        for (int i = 0; i < seen.size(); i++) {
            JsonNode o = seen.get(i);
            Map<String, Object> r = expected.get(i);
            assertThat(names(o)).containsExactly("id", "userId", "status", "createdAt", "itemCount", "totalCents");
            assertThat(o.get("id").isIntegralNumber()).isTrue();
            assertThat(o.get("id").asLong()).isEqualTo(((Number) r.get("id")).longValue());
            assertThat(o.get("userId").asLong()).isEqualTo(user);
            assertThat(o.get("status").asText()).isEqualTo(r.get("status"));
            assertThat(o.get("createdAt").asText()).matches(ISO_UTC).isEqualTo(r.get("created_at"));
            assertThat(Instant.parse(o.get("createdAt").asText())).isAfterOrEqualTo(sinceInstant);
            assertThat(o.get("itemCount").asInt()).isEqualTo(((Number) r.get("item_count")).intValue());
            assertThat(o.get("totalCents").isIntegralNumber()).isTrue();
            assertThat(o.get("totalCents").asLong()).isEqualTo(((Number) r.get("total_cents")).longValue());
            if (i > 0) {
                assertThat(Instant.parse(o.get("createdAt").asText()))
                        .isBeforeOrEqualTo(Instant.parse(seen.get(i - 1).get("createdAt").asText()));
            }
        }

        // without since: the newest orders of all, the same order
        JsonNode newest = okJson(get("/users/" + user + "/orders?limit=3"));
        List<Long> newestIds = new ArrayList<>();
        newest.get("items").forEach(o -> newestIds.add(o.get("id").asLong()));
        assertThat(newestIds).isEqualTo(longs("SELECT id FROM orders WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 3", user));
        assertThat(newest.get("next").isTextual()).isTrue();
    }

    @Test
    void orderWithItemsProductNamesAndBuyer() {
        long id = longs("SELECT order_id FROM order_items WHERE order_id BETWEEN 5000 AND 6000"
                + " GROUP BY order_id HAVING count(*) >= 3 ORDER BY order_id LIMIT 1").getFirst();
        JsonNode json = okJson(get("/orders/" + id));
        assertOrderMatchesDatabase(json, id);
    }

    /** Every field of {@code GET /orders/{id}} against the tables. */
    static void assertOrderMatchesDatabase(JsonNode json, long id) {
        Map<String, Object> order = row("SELECT o.*, u.name AS buyer_name, u.email AS buyer_email"
                + " FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = ?", id);
        List<Map<String, Object>> items = rows("SELECT i.product_id, p.name, i.quantity, i.unit_price_cents"
                + " FROM order_items i JOIN products p ON p.id = i.product_id WHERE i.order_id = ? ORDER BY i.id", id);

        assertThat(names(json)).containsExactly("id", "userId", "status", "createdAt", "itemCount", "totalCents", "buyer", "items");
        assertThat(json.get("id").isIntegralNumber()).isTrue();
        assertThat(json.get("id").asLong()).isEqualTo(id);
        assertThat(json.get("userId").asLong()).isEqualTo(((Number) order.get("user_id")).longValue());
        assertThat(json.get("status").asText()).isEqualTo(order.get("status"));
        assertThat(json.get("createdAt").asText()).matches(ISO_UTC).isEqualTo(order.get("created_at"));
        assertThat(json.get("itemCount").asInt()).isEqualTo(((Number) order.get("item_count")).intValue()).isEqualTo(items.size());

        JsonNode buyer = json.get("buyer");
        assertThat(names(buyer)).containsExactly("id", "name", "email");
        assertThat(buyer.get("id").asLong()).isEqualTo(((Number) order.get("user_id")).longValue());
        assertThat(buyer.get("name").asText()).isEqualTo(order.get("buyer_name"));
        assertThat(buyer.get("email").asText()).isEqualTo(order.get("buyer_email"));

        JsonNode lines = json.get("items");
        assertThat(lines.size()).isEqualTo(items.size());
        long sum = 0;
        for (int i = 0; i < items.size(); i++) {
            JsonNode line = lines.get(i);
            Map<String, Object> r = items.get(i);
            assertThat(names(line)).containsExactly("productId", "productName", "quantity", "unitPriceCents", "lineTotalCents");
            assertThat(line.get("productId").asLong()).isEqualTo(((Number) r.get("product_id")).longValue());
            assertThat(line.get("productName").asText()).isEqualTo(r.get("name"));
            assertThat(line.get("quantity").asInt()).isEqualTo(((Number) r.get("quantity")).intValue());
            assertThat(line.get("unitPriceCents").isIntegralNumber()).isTrue();
            assertThat(line.get("unitPriceCents").asLong()).isEqualTo(((Number) r.get("unit_price_cents")).longValue());
            assertThat(line.get("lineTotalCents").isIntegralNumber()).isTrue();
            assertThat(line.get("lineTotalCents").asLong()).isEqualTo(line.get("quantity").asLong() * line.get("unitPriceCents").asLong());
            sum += line.get("lineTotalCents").asLong();
        }
        assertThat(json.get("totalCents").isIntegralNumber()).isTrue();
        assertThat(json.get("totalCents").asLong()).isEqualTo(sum).isEqualTo(((Number) order.get("total_cents")).longValue());
    }

    @Test
    void placeOrderCreatesItAtTheProductsPrices() {
        Map<Long, Long> prices = new java.util.HashMap<>();
        for (Map<String, Object> r : rows("SELECT id, price_cents FROM products WHERE id IN (17, 18, 19)")) {
            prices.put(((Number) r.get("id")).longValue(), ((Number) r.get("price_cents")).longValue());
        }
        Map<String, Long> before = counts();
        Instant start = Instant.now().minusSeconds(5);

        Api.Response created = post("/orders", "{\"userId\": 31, \"items\": [{\"productId\": 19, \"quantity\": 2},"
                + " {\"productId\": 17, \"quantity\": 1}, {\"productId\": 18, \"quantity\": 1000}]}");

        JsonNode json = okJson(created, 201);
        long id = json.get("id").asLong();
        assertThat(created.header("Location")).isEqualTo("/orders/" + id);
        assertThat(json.get("userId").asLong()).isEqualTo(31);
        assertThat(json.get("status").asText()).isEqualTo("placed");
        assertThat(Instant.parse(json.get("createdAt").asText())).isAfter(start).isBefore(Instant.now().plusSeconds(5));
        assertThat(json.get("itemCount").asInt()).isEqualTo(3);
        long expectedTotal = 2 * prices.get(19L) + prices.get(17L) + 1000 * prices.get(18L);
        assertThat(json.get("totalCents").asLong()).isEqualTo(expectedTotal);
        assertThat(json.get("items").get(0).get("productId").asLong()).isEqualTo(19);
        assertThat(json.get("items").get(0).get("unitPriceCents").asLong()).isEqualTo(prices.get(19L));
        assertThat(json.get("items").get(2).get("quantity").asInt()).isEqualTo(1000);
        assertThat(json.get("items").get(2).get("unitPriceCents").asLong()).isEqualTo(prices.get(18L));
        assertOrderMatchesDatabase(json, id);

        assertThat(okJson(get(created.header("Location")))).isEqualTo(json);

        Map<String, Long> after = counts();
        assertThat(after.get("orders")).isEqualTo(before.get("orders") + 1);
        assertThat(after.get("order_items")).isEqualTo(before.get("order_items") + 3);
        assertThat(after.get("users")).isEqualTo(before.get("users"));
        assertThat(after.get("idempotency_keys")).isEqualTo(before.get("idempotency_keys"));
        // new ids continue after the seeded ones
        assertThat(id).isGreaterThan(dev.headroom.shop.TestShops.SPEC.orders());
    }

    // ---- health and metrics ----

    @Test
    void liveness() {
        JsonNode json = okJson(get("/health/live"));
        assertThat(json.get("status").asText()).isEqualTo("UP");
    }

    @Test
    void readinessChecksPostgresAndRedis() {
        Api.Response r = get("/health/ready");
        JsonNode json = okJson(r);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(json.get("status").asText()).isEqualTo("UP");
        Set<String> checked = new HashSet<>();
        for (JsonNode check : json.get("checks")) {
            checked.add(check.get("name").asText());
            assertThat(check.get("status").asText()).as("%s", check).isEqualTo("UP");
            assertThat(check.get("latencyMs").isNumber()).as("%s", check).isTrue();
            // a measured figure, not a constant; generous bound: this machine may be busy
            assertThat(check.get("latencyMs").asDouble()).as("%s", check).isGreaterThanOrEqualTo(0.0).isLessThan(10_000.0);
        }
        assertThat(checked).containsExactlyInAnyOrder("postgres", "redis");
    }

    @Test
    void prometheusMetrics() {
        assertThat(get("/products/1").status()).isEqualTo(200);
        assertThat(get("/users/1/orders?limit=2").status()).isEqualTo(200);

        Api.Response r = get("/metrics");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        List<String> lines = r.body().lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("http_server_requests_seconds_bucket{")
                .contains("route=\"/products/:id\"").contains("method=\"GET\"").contains("status=\"200\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("http_server_requests_seconds_count{")
                .contains("route=\"/users/:id/orders\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("hikaricp_connections{").contains("pool=\"shop\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("hikaricp_connections_max{"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("shop_sql_statements_per_request_count{")
                .contains("route=\"/products/:id\""));
        assertThat(lines).noneSatisfy(l -> assertThat(l).contains("route=\"/products/1\""));
        assertThat(lines).as("nothing else in flight: the scrape reads itself").contains("http_server_requests_inflight 1.0");
    }
}
