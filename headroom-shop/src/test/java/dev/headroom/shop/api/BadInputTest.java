package dev.headroom.shop.api;

import static dev.headroom.shop.api.Api.counts;
import static dev.headroom.shop.api.Api.fields;
import static dev.headroom.shop.api.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.shop.TestShops;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input table: every request that must be refused, with its status, its problem+json body
 * (type, title, status, detail, and the fields at fault for validation errors), and proof that
 * nothing changed: the row counts of users, orders, order_items and idempotency_keys, and for
 * {@code PATCH} the user's and the product's rows.
 */
class BadInputTest {
    /** A user that PATCH cases aim at; its row must never change. */
    private static final long PATCHED_USER = 88;
    /** A product that PATCH cases aim at; its row must never change either. */
    private static final long PATCHED_PRODUCT = 77;
    private static final String ITEM = "{\"productId\": 1, \"quantity\": 1}";
    private static final String GOOD_ORDER = "{\"userId\": 1, \"items\": [" + ITEM + "]}";

    /**
     * One row of the table.
     *
     * @param detail the exact {@code detail}, or a prefix when it ends in {@code …}, or null for "any"
     * @param fields the exact {@code errors[].field} values, in order (empty: no {@code errors} member)
     * @param header a response header that must be present with this value ({@code "Name: value"}), or null
     */
    record Case(String name, Supplier<Api.Response> request, int status, String detail, List<String> fields, String header) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, Supplier<Api.Response> request, int status, String detail, String... fields) {
        return new Case(name, request, status, detail, List.of(fields), null);
    }

    private static Supplier<Api.Response> get(String path) {
        return () -> Api.get(path);
    }

    private static Supplier<Api.Response> post(String json) {
        return () -> Api.post("/orders", json);
    }

    private static Supplier<Api.Response> patch(String json) {
        return () -> Api.patch("/users/" + PATCHED_USER, json);
    }

    private static Supplier<Api.Response> patchProduct(String json) {
        return () -> Api.adminPatch("/products/" + PATCHED_PRODUCT, json);
    }

    private static Supplier<Api.Response> send(String method, String path, String contentType, String body) {
        return () -> {
            HttpRequest.Builder b = Api.request(path);
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            return Api.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build());
        };
    }

    private static Supplier<Api.Response> raw(String request) {
        return () -> Api.raw(Api.shop().port(), request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String nested(int depth) {
        return "{\"userId\": 1, \"items\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    }

    private static String cursor(String plain) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
    }

    static Stream<Arguments> cases() {
        String notACursor = "after: is not a cursor this API issued; pass back the 'next' value of the previous page";
        String productParams = "after, category, limit, q";
        List<Case> cases = new ArrayList<>(List.of(
                // ---- POST /orders: the body ----
                c("malformed JSON", post("{\"userId\": 1, \"items\": ["), 400, "malformed JSON at line 1…"),
                c("malformed JSON: trailing garbage", post(GOOD_ORDER + " x"), 400, "malformed JSON…"),
                c("malformed JSON: duplicate key", post("{\"userId\": 1, \"userId\": 2, \"items\": [" + ITEM + "]}"), 400, "malformed JSON…"),
                c("body is an array", post("[" + GOOD_ORDER + "]"), 400, "the body must be a JSON object, was an array"),
                c("wrong type: userId as a string", post("{\"userId\": \"1\", \"items\": [" + ITEM + "]}"), 400,
                        "userId: must be a positive integer, was a string", "userId"),
                c("wrong type: userId with a fraction", post("{\"userId\": 1.0, \"items\": [" + ITEM + "]}"), 400,
                        "userId: must be a positive integer, was 1.0", "userId"),
                c("wrong type: userId beyond a bigint", post("{\"userId\": 99999999999999999999, \"items\": [" + ITEM + "]}"), 400,
                        "userId: must be a positive integer, was 99999999999999999999", "userId"),
                c("wrong type: quantity 1.5", post("{\"userId\": 1, \"items\": [{\"productId\": 1, \"quantity\": 1.5}]}"), 400,
                        "items[0].quantity: must be an integer between 1 and 1000, was 1.5", "items[0].quantity"),
                c("wrong type: items not an array", post("{\"userId\": 1, \"items\": " + ITEM + "}"), 400,
                        "items: must be an array, was an object", "items"),
                c("wrong type: an item not an object", post("{\"userId\": 1, \"items\": [" + ITEM + ", 7]}"), 400,
                        "items[1]: must be an object, was 7", "items[1]"),
                c("unknown top-level field", post("{\"userId\": 1, \"items\": [" + ITEM + "], \"coupon\": \"FREE\"}"), 400,
                        "coupon: is not a known field; known: items, userId", "coupon"),
                c("unknown field in an item", post("{\"userId\": 1, \"items\": [{\"productId\": 1, \"quantity\": 1, \"price\": 0}]}"), 400,
                        "items[0].price: is not a known field; known: productId, quantity", "items[0].price"),
                c("missing userId", post("{\"items\": [" + ITEM + "]}"), 400, "userId: is required", "userId"),
                c("missing items", post("{\"userId\": 1}"), 400, "items: is required", "items"),
                c("missing quantity", post("{\"userId\": 1, \"items\": [{\"productId\": 1}]}"), 400,
                        "items[0].quantity: is required", "items[0].quantity"),
                c("null userId", post("{\"userId\": null, \"items\": [" + ITEM + "]}"), 400, "userId: must not be null", "userId"),
                c("missing everything", post("{}"), 400, "2 fields are invalid", "userId", "items"),
                c("quantity 0", post("{\"userId\": 1, \"items\": [{\"productId\": 1, \"quantity\": 0}]}"), 400,
                        "items[0].quantity: must be between 1 and 1000, was 0", "items[0].quantity"),
                c("quantity -1", post("{\"userId\": 1, \"items\": [{\"productId\": 1, \"quantity\": -1}]}"), 400,
                        "items[0].quantity: must be between 1 and 1000, was -1", "items[0].quantity"),
                c("quantity 1001", post("{\"userId\": 1, \"items\": [{\"productId\": 1, \"quantity\": 1001}]}"), 400,
                        "items[0].quantity: must be between 1 and 1000, was 1001", "items[0].quantity"),
                c("userId 0", post("{\"userId\": 0, \"items\": [" + ITEM + "]}"), 400,
                        "userId: must be a positive integer, was 0", "userId"),
                c("productId -5", post("{\"userId\": 1, \"items\": [{\"productId\": -5, \"quantity\": 1}]}"), 400,
                        "items[0].productId: must be a positive integer, was -5", "items[0].productId"),
                c("empty items", post("{\"userId\": 1, \"items\": []}"), 400, "items: must not be empty", "items"),
                c("101 items", post("{\"userId\": 1, \"items\": [" + String.join(", ", java.util.Collections.nCopies(101, ITEM)) + "]}"), 400,
                        "items: must hold between 1 and 100 entries, was 101", "items"),
                c("duplicate productId", post("{\"userId\": 1, \"items\": [" + ITEM + ", {\"productId\": 2, \"quantity\": 1}, "
                                + "{\"productId\": 1, \"quantity\": 3}]}"), 400,
                        "items[2].productId: repeats items[0]; give each product once with its total quantity", "items[2].productId"),
                c("several errors at once", post("{\"userId\": \"x\", \"items\": [{\"productId\": 1, \"quantity\": 0}, {\"quantity\": 2}]}"), 400,
                        "3 fields are invalid", "userId", "items[0].quantity", "items[1].productId"),
                c("unknown user", post("{\"userId\": 999999999, \"items\": [" + ITEM + "]}"), 422,
                        "userId: no user with id 999999999", "userId"),
                c("unknown product", post("{\"userId\": 1, \"items\": [{\"productId\": 999999, \"quantity\": 1}]}"), 422,
                        "items[0].productId: no product with id 999999", "items[0].productId"),
                c("unknown products", post("{\"userId\": 1, \"items\": [" + ITEM + ", {\"productId\": 999998, \"quantity\": 1},"
                                + " {\"productId\": 999999, \"quantity\": 1}]}"), 422,
                        "2 products do not exist", "items[1].productId", "items[2].productId"),
                c("body over 64 KiB", post("{\"userId\": 1, \"items\": [" + ITEM + "], \"pad\": \"" + "x".repeat(70_000) + "\"}"), 413,
                        "the request body is larger than 65536 bytes"),
                c("nesting deeper than 64", post(nested(100)), 400,
                        "the JSON body is too deeply nested or too large (nesting deeper than 64 is refused)"),
                c("empty body", send("POST", "/orders", "application/json", null), 400, "the request body is empty; send a JSON object"),
                c("text/plain body", send("POST", "/orders", "text/plain", GOOD_ORDER), 415,
                        "send the body as application/json, was 'text/plain'"),
                c("no Content-Type", send("POST", "/orders", null, GOOD_ORDER), 415,
                        "send the body as application/json, was no Content-Type"),
                c("Idempotency-Key of 300 characters", () -> Api.postWithKey("/orders", "k".repeat(300), GOOD_ORDER), 400,
                        "Idempotency-Key: must be 1 to 200 visible ASCII characters", "Idempotency-Key"),
                c("Idempotency-Key with a space", () -> Api.postWithKey("/orders", "two words", GOOD_ORDER), 400,
                        "Idempotency-Key: must be 1 to 200 visible ASCII characters", "Idempotency-Key"),

                // ---- ids in the path ----
                c("non-numeric id", get("/users/abc"), 400, "id: must be a positive integer below 2^63, was 'abc'", "id"),
                c("overflowing id", get("/users/99999999999999999999"), 400,
                        "id: must be a positive integer below 2^63, was '99999999999999999999'", "id"),
                c("zero id", get("/users/0"), 400, "id: must be a positive integer, was 0", "id"),
                c("negative id", get("/users/-3"), 400, "id: must be a positive integer, was -3", "id"),
                c("non-numeric product id", get("/products/1e3"), 400, "id: must be a positive integer below 2^63, was '1e3'", "id"),
                c("zero order id", get("/orders/0"), 400, "id: must be a positive integer, was 0", "id"),
                c("id with a sign", get("/users/+5"), 400, "id: must be a positive integer below 2^63, was '+5'", "id"),
                c("id with a leading zero", get("/users/05"), 400, "id: must be a positive integer below 2^63, was '05'", "id"),
                c("non-numeric user id in orders", get("/users/x/orders"), 400, "id: must be a positive integer below 2^63, was 'x'", "id"),
                c("unknown user", get("/users/999999999"), 404, "no user with id 999999999"),
                c("unknown product", get("/products/999999999"), 404, "no product with id 999999999"),
                c("unknown order", get("/orders/999999999"), 404, "no order with id 999999999"),
                c("orders of an unknown user", get("/users/999999999/orders"), 404, "no user with id 999999999"),

                // ---- query parameters ----
                c("invalid date 2024-13-45", get("/users/1/orders?since=2024-13-45"), 400,
                        "since: must be a date YYYY-MM-DD, was '2024-13-45'", "since"),
                c("invalid date yesterday", get("/users/1/orders?since=yesterday"), 400,
                        "since: must be a date YYYY-MM-DD, was 'yesterday'", "since"),
                c("date beyond PostgreSQL's range", get("/users/1/orders?since=%2B300000-01-01"), 400,
                        "since: must be a date YYYY-MM-DD, was '+300000-01-01'", "since"),
                c("date with a time", get("/users/1/orders?since=2025-01-01T00:00:00Z"), 400,
                        "since: must be a date YYYY-MM-DD, was '2025-01-01T00:00:00Z'", "since"),
                c("NUL in q", get("/products?q=chair%00"), 400, "q: must not contain the NUL character (U+0000)", "q"),
                c("NUL in category", get("/products?category=%00"), 400, "category: must not contain the NUL character (U+0000)", "category"),
                c("NUL in email", get("/users?email=a%00@example.com"), 400, "email: must not contain the NUL character (U+0000)", "email"),
                c("limit=0", get("/products?limit=0"), 400, "limit: must be between 1 and 100, was 0", "limit"),
                c("limit=101", get("/products?limit=101"), 400, "limit: must be between 1 and 100, was 101", "limit"),
                c("limit=abc", get("/users/1/orders?limit=abc"), 400, "limit: must be an integer between 1 and 100, was 'abc'", "limit"),
                c("limit given twice", get("/products?limit=5&limit=6"), 400, "limit: must be given at most once", "limit"),
                c("empty q", get("/products?q="), 400, "q: must not be empty", "q"),
                c("bad cursor: garbage (products)", get("/products?after=garbage"), 400, notACursor, "after"),
                c("bad cursor: garbage (orders)", get("/users/1/orders?after=garbage"), 400, notACursor, "after"),
                c("bad cursor: valid base64 of junk", get("/products?after=" + cursor("hello, world")), 400, notACursor, "after"),
                c("bad cursor: base64 of junk numbers", get("/users/1/orders?after=" + cursor("v1.abc.1")), 400, notACursor, "after"),
                c("bad cursor: another route's cursor", get("/users/1/orders?after=" + cursor("v1.5")), 400, notACursor, "after"),
                c("bad cursor: negative numbers", get("/users/1/orders?after=" + cursor("v1.-9223372036854775808.1")), 400, notACursor, "after"),
                c("bad cursor: leading zeros", get("/products?after=" + cursor("v1.01")), 400, notACursor, "after"),
                c("query parameter on POST /orders", send("POST", "/orders?dryRun=true", "application/json", GOOD_ORDER), 400,
                        "dryRun: is not a parameter of this route, which takes none", "dryRun"),
                c("unknown query parameter", get("/products?colour=red"), 400,
                        "colour: is not a parameter of this route; known: " + productParams, "colour"),
                c("email missing", get("/users"), 400, "email: is required", "email"),

                // ---- routes and methods ----
                c("unknown route", get("/nope"), 404, "no route for GET /nope"),
                c("unknown nested route", get("/users/1/friends"), 404, "no route for GET /users/1/friends"),
                new Case("DELETE /users/1", send("DELETE", "/users/1", null, null), 405,
                        "DELETE is not supported on /users/:id; use GET, PATCH", List.of(), "Allow: GET, PATCH"),
                new Case("PUT /orders", send("PUT", "/orders", "application/json", GOOD_ORDER), 405,
                        "PUT is not supported on /orders; use POST", List.of(), "Allow: POST"),
                new Case("POST /health/live", send("POST", "/health/live", "application/json", "{}"), 405,
                        null, List.of(), "Allow: GET"),

                // ---- PATCH /users/{id} ----
                c("PATCH unknown field", patch("{\"name\": \"X\", \"nickname\": \"Y\"}"), 400,
                        "nickname: is not a known field; known: email, name", "nickname"),
                c("PATCH empty object", patch("{}"), 400, "name: give name, email or both", "name"),
                c("PATCH invalid email", patch("{\"email\": \"not-an-email\"}"), 400,
                        "email: must be an email address like name@example.com", "email"),
                c("PATCH null name", patch("{\"name\": null}"), 400, "name: must not be null", "name"),
                c("PATCH name with NUL", patch("{\"name\": \"A\\u0000B\"}"), 400,
                        "name: must not contain the NUL character (U+0000)", "name"),
                c("PATCH blank name", patch("{\"name\": \"   \"}"), 400, "name: must not be empty", "name"),
                c("PATCH name not a string", patch("{\"name\": 5}"), 400, "name: must be a string, was 5", "name"),
                c("PATCH name too long", patch("{\"name\": \"" + "n".repeat(201) + "\"}"), 400,
                        "name: must be at most 200 characters, was 201", "name"),
                c("PATCH malformed JSON", patch("{\"name\": "), 400, "malformed JSON…"),
                c("PATCH text/plain", () -> Api.send(Api.request("/users/" + PATCHED_USER).header("Content-Type", "text/plain")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\": \"X\"}")).build()), 415,
                        "send the body as application/json, was 'text/plain'"),
                c("PATCH empty body", send("PATCH", "/users/" + PATCHED_USER, "application/json", null), 400,
                        "the request body is empty; send a JSON object"),
                c("PATCH an email another user has", () -> Api.patch("/users/" + PATCHED_USER,
                        "{\"email\": \"" + Api.row("SELECT email FROM users WHERE id = 89").get("email") + "\"}"), 409,
                        "email: belongs to another user", "email"),
                c("PATCH an unknown user", () -> Api.patch("/users/999999999", "{\"name\": \"X\"}"), 404, "no user with id 999999999"),
                c("PATCH id 0", () -> Api.patch("/users/0", "{\"name\": \"X\"}"), 400, "id: must be a positive integer, was 0", "id"),

                // ---- PATCH /products/{id} ----
                c("PATCH product unknown field", patchProduct("{\"priceCents\": 100, \"name\": \"X\"}"), 400,
                        "name: is not a known field; known: description, priceCents", "name"),
                c("PATCH product empty object", patchProduct("{}"), 400, "priceCents: give priceCents, description or both", "priceCents"),
                c("PATCH product negative price", patchProduct("{\"priceCents\": -5}"), 400,
                        "priceCents: must be a positive integer, was -5", "priceCents"),
                c("PATCH product fractional price", patchProduct("{\"priceCents\": 9.99}"), 400,
                        "priceCents: must be a positive integer, was 9.99", "priceCents"),
                c("PATCH product price too high", patchProduct("{\"priceCents\": 100000000001}"), 400,
                        "priceCents: must be at most 100000000000, was 100000000001", "priceCents"),
                c("PATCH product description too long", patchProduct("{\"description\": \"" + "d".repeat(2001) + "\"}"), 400,
                        "description: must be at most 2000 characters, was 2001", "description"),
                c("PATCH an unknown product", () -> Api.adminPatch("/products/999999999", "{\"priceCents\": 100}"), 404,
                        "no product with id 999999999"),

                // ---- what HttpClient will not send ----
                c("request line over 8 KiB", raw("GET /users/1?q=" + "a".repeat(9_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 414,
                        "the request line is longer than 8192 bytes"),
                c("header over 16 KiB", raw("GET /users/1 HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20 * 1024) + "\r\n\r\n"), 431,
                        "the request headers are larger than 16384 bytes"),
                c("malformed HTTP", raw("this is not HTTP\r\n\r\n"), 400, null),
                c("bad percent-encoding in the query", raw("GET /products?q=%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400,
                        "the query string is not valid percent-encoding: a '%' must be followed by two hex digits"),
                c("unterminated percent-encoding in the query", raw("GET /users?email=a% HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400,
                        "the query string is not valid percent-encoding: a '%' must be followed by two hex digits"),
                c("bad percent-encoding in the path", raw("GET /users/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400, null)));
        return cases.stream().map(Arguments::of);
    }

    /**
     * Refused requests leave their marks in the shared shop's metrics (e.g. {@code GET /orders/0} ran 0 SQL
     * statements); later tests that read cumulative metrics of the shared shop get a fresh one instead.
     */
    @AfterAll
    static void freshShopForTheNextTests() {
        TestShops.stop();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithAProblemAndNothingChanged(Case c) {
        Api.shop();
        Map<String, Long> before = counts();
        Map<String, Object> user = Api.userRow(PATCHED_USER);
        Map<String, Object> product = Api.row("SELECT * FROM products WHERE id = " + PATCHED_PRODUCT);

        Api.Response r = c.request().get();

        JsonNode body = problem(r, c.status());
        if (c.detail() != null) {
            if (c.detail().endsWith("…")) {
                assertThat(body.get("detail").asText()).startsWith(c.detail().substring(0, c.detail().length() - 1));
            } else {
                assertThat(body.get("detail").asText()).isEqualTo(c.detail());
            }
        }
        if (c.fields().isEmpty()) {
            assertThat(body.has("errors")).as("no errors member in %s", body).isFalse();
        } else {
            assertThat(fields(body)).isEqualTo(c.fields());
            body.get("errors").forEach(e -> assertThat(e.path("detail").asText()).isNotBlank());
        }
        if (c.header() != null) {
            String[] h = c.header().split(": ", 2);
            assertThat(r.header(h[0])).as("%s header", h[0]).isEqualTo(h[1]);
        }
        assertThat(counts()).as("row counts after %s", c.name()).isEqualTo(before);
        assertThat(Api.userRow(PATCHED_USER)).as("user %d after %s", PATCHED_USER, c.name()).isEqualTo(user);
        assertThat(Api.row("SELECT * FROM products WHERE id = " + PATCHED_PRODUCT)).as("product %d after %s", PATCHED_PRODUCT, c.name())
                .isEqualTo(product);
    }
}
