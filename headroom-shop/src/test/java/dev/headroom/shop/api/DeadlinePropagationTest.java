package dev.headroom.shop.api;

import static dev.headroom.shop.api.Api.counts;
import static dev.headroom.shop.api.Api.fields;
import static dev.headroom.shop.api.Api.okJson;
import static dev.headroom.shop.api.Api.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.edge.deadline.Deadline;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@value Deadline#HEADER} on the shop: refused when malformed, answered 504 at once when passed on arrival (no
 * statement), and a query still running at the deadline cancelled on the server, its transaction rolled back. The
 * slow statements are real ones kept waiting by a lock this test holds: without the deadline they would wait for as
 * long as the test holds it.
 */
class DeadlinePropagationTest {
    private static final long DEADLINE_MS = 300;
    private static final String USER_ORDERS = "/users/:id/orders";

    @BeforeAll
    static void startTheShop() {
        Api.shop(); // before the first look at the tables: it seeds them
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "1.5", "86400001"})
    void aMalformedHeaderIsRefusedNamingItBeforeAnythingChanges(String value) {
        Map<String, Long> before = counts();

        Api.Response r = Api.send(order(5).header(Deadline.HEADER, value).build());

        JsonNode body = problem(r, 400);
        assertThat(fields(body)).containsExactly(Deadline.HEADER);
        assertThat(body.get("detail").asText()).isEqualTo(Deadline.HEADER
                + ": must be the milliseconds left, a whole number from 0 to 86400000, was '" + value + "'");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aDeadlinePassedOnArrivalIsAnswered504WithNoStatementRun() {
        Map<String, Long> before = counts();
        double cut = metric("headroom_deadline_exceeded_total{stage=\"arrival\"}");
        double requests = metric(statements("count"));
        double statements = metric(statements("sum"));

        Api.Response read = Api.send(Api.request("/users/41/orders").header(Deadline.HEADER, "0").GET().build());
        Api.Response write = Api.send(order(41).header(Deadline.HEADER, "0").build());

        assertThat(problem(read, 504).get("detail").asText()).isEqualTo("the request's deadline had passed when it arrived; nothing was done");
        assertThat(problem(write, 504).get("type").asText()).isEqualTo("https://headroom.dev/problems/deadline-exceeded");
        assertThat(write.header("Retry-After")).isNull();
        assertThat(counts()).isEqualTo(before);
        assertThat(metric("headroom_deadline_exceeded_total{stage=\"arrival\"}")).isEqualTo(cut + 2);
        assertThat(metric(statements("count"))).isEqualTo(requests + 1);
        assertThat(metric(statements("sum"))).as("statements the cut read ran").isEqualTo(statements);
    }

    @Test
    void aReadStillRunningAtTheDeadlineIsCancelledThere() throws Exception {
        double cancelled = metric("headroom_deadline_exceeded_total{stage=\"query_cancelled\"}");
        try (Connection ours = Api.connect()) {
            ours.setAutoCommit(false);
            try (Statement st = ours.createStatement()) {
                st.execute("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE"); // every read of orders now waits for us
            }
            long sent = System.nanoTime();
            CompletableFuture<HttpResponse<String>> answer = sendAsync(Api.request("/users/42/orders")
                    .header(Deadline.HEADER, Long.toString(DEADLINE_MS)).GET().build());

            Api.Response r = Api.of(answer.get(10, TimeUnit.SECONDS));
            long tookMs = (System.nanoTime() - sent) / 1_000_000;

            assertThat(problem(r, 504).get("detail").asText())
                    .isEqualTo("the request's deadline passed while its query ran; the query was cancelled and its transaction rolled back");
            assertThat(tookMs).as("ms to the answer, the lock still held").isBetween(DEADLINE_MS, DEADLINE_MS + 2_000);
            assertThat(shopStatementsWaitingForALock()).as("shop statements PostgreSQL still runs").isZero();
            ours.rollback();
        }
        assertThat(metric("headroom_deadline_exceeded_total{stage=\"query_cancelled\"}")).isEqualTo(cancelled + 1);
    }

    @Test
    void aWriteCutByItsDeadlineLeavesNothingBehind() throws Exception {
        long user = 43;
        long ordersBefore = Api.longValue("SELECT count(*) FROM orders WHERE user_id = ?", user);
        Map<String, Long> before = counts();
        try (Connection ours = Api.connect()) {
            Api.lockUser(ours, user); // the order's foreign-key check on its user waits for this lock
            CompletableFuture<HttpResponse<String>> answer = sendAsync(order(user).header(Deadline.HEADER, Long.toString(DEADLINE_MS)).build());

            Api.Response r = Api.of(answer.get(10, TimeUnit.SECONDS));

            problem(r, 504);
            assertThat(shopStatementsWaitingForALock()).isZero();
            ours.rollback();
        }
        assertThat(counts()).isEqualTo(before);
        assertThat(Api.longValue("SELECT count(*) FROM orders WHERE user_id = ?", user)).isEqualTo(ordersBefore);
    }

    @Test
    void withoutTheHeaderASlowWriteWaitsAsItAlwaysDid() throws Exception {
        long user = 44;
        Map<String, Long> before = counts();
        try (Connection ours = Api.connect()) {
            Api.lockUser(ours, user);
            CompletableFuture<HttpResponse<String>> answer = sendAsync(order(user).build());
            Api.awaitBlockedOnLock(ours);
            Thread.sleep(2 * DEADLINE_MS); // past any deadline the other tests use: nothing cuts it
            assertThat(answer).isNotDone();
            ours.rollback();

            okJson(Api.of(answer.get(10, TimeUnit.SECONDS)), 201);
        }
        assertThat(counts().get("orders")).isEqualTo(before.get("orders") + 1);
    }

    @Test
    void withTimeLeftARequestIsServedAsWithoutTheHeader() {
        Api.Response with = Api.send(Api.request("/users/45/orders").header(Deadline.HEADER, "10000").GET().build());
        Api.Response without = Api.get("/users/45/orders");

        assertThat(okJson(with)).isEqualTo(okJson(without));
    }

    private static HttpRequest.Builder order(long user) {
        return Api.request("/orders").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"userId\": " + user + ", \"items\": [{\"productId\": 3, \"quantity\": 1}]}"));
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
        return CompletableFuture.supplyAsync(() -> dev.headroom.shop.TestShops.send(request));
    }

    private static long shopStatementsWaitingForALock() throws SQLException {
        try (Connection c = Api.connect(); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name = 'headroom-shop' AND state = 'active' AND wait_event_type = 'Lock'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String statements(String part) {
        return "shop_sql_statements_per_request_" + part + "{method=\"GET\",route=\"" + USER_ORDERS + "\"}";
    }

    /** A sample's value in the shop's {@code /metrics}; 0 when it has none yet. */
    private static double metric(String sample) {
        String scrape = Api.get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
