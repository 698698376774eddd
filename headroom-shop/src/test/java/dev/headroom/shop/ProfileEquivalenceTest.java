package dev.headroom.shop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.shop.cache.CacheMode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every set of switches the demo walks through answers every read endpoint identically (status and body, byte
 * for byte) over a seeded sample of requests, including follow-up pages reached through the cursors. And the
 * lesson is visible in the metrics: without {@code single-query} an order loads in 3 + N statements, with it in one.
 */
class ProfileEquivalenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The demo's steps, each one switch more than the last: baseline, indexes, single-query, pool, http, replicas, admission, l1, l2. */
    static List<Switches> demoSets() {
        List<Switches> sets = new ArrayList<>(List.of(Switches.NONE));
        for (Switch s : Switch.values()) {
            sets.add(sets.getLast().with(s));
        }
        sets.add(sets.getLast().withCache(CacheMode.L1));
        sets.add(sets.getLast().withCache(CacheMode.L1_L2));
        return sets;
    }

    @Test
    void everySetOfTheDemoReturnsTheBaselinesResponses() throws Exception {
        List<String> sample = sampleRequests();
        List<Switches> sets = demoSets();
        Map<String, String> baseline = responses(sets.getFirst(), sample);

        assertThat(sets).hasSize(9).last().isEqualTo(Profile.OPTIMIZED.switches());
        assertThat(sample).hasSizeGreaterThan(150);
        assertThat(baseline.values()).filteredOn(r -> r.startsWith("200 ")).hasSizeGreaterThan(sample.size() * 3 / 4);
        for (Switches set : sets.subList(1, sets.size())) {
            Map<String, String> answers = responses(set, sample);
            for (String path : sample) {
                assertThat(answers.get(path)).as("GET %s with %s", path, set).isEqualTo(baseline.get(path));
            }
        }
    }

    @Test
    void onlyTheOptimizedProfileSendsValidators() {
        HttpResponse<String> optimized = TestShops.get(TestShops.shop(Profile.OPTIMIZED), "/products/1");
        HttpResponse<String> baseline = TestShops.get(TestShops.shop(Profile.BASELINE), "/products/1");
        assertThat(optimized.headers().firstValue("ETag")).isPresent();
        assertThat(baseline.headers().firstValue("ETag")).isEmpty();
        assertThat(baseline.headers().firstValue("Cache-Control")).isEmpty();
        assertThat(baseline.body()).isEqualTo(optimized.body());
    }

    /** Query shapes, so the optimized shop runs without its caches here (a cached read runs no SQL at all). */
    @Test
    void baselineLoadsOrdersWithNPlusOneStatementsAndOptimizedWithOne() {
        double optimized = meanStatementsForAnOrder(Profile.OPTIMIZED);
        double baseline = meanStatementsForAnOrder(Profile.BASELINE);
        assertThat(optimized).isEqualTo(1.0);
        // order + buyer + items + one per item (2.5 items per order on average)
        assertThat(baseline).isGreaterThan(4.0);
    }

    /** Mean statements per {@code GET /orders/{id}} over 20 orders, from the shop's own metric (before/after, so earlier requests do not count). */
    private static double meanStatementsForAnOrder(Profile profile) {
        Shop shop = TestShops.shop(profile, CacheMode.NONE);
        double[] before = statementsSoFar(shop);
        for (long id = 1000; id < 1020; id++) {
            assertThat(TestShops.get(shop, "/orders/" + id).statusCode()).isEqualTo(200);
        }
        double[] after = statementsSoFar(shop);
        assertThat(after[0] - before[0]).isEqualTo(20);
        return (after[1] - before[1]) / (after[0] - before[0]);
    }

    /** {count, total} of the statements-per-request summary of {@code GET /orders/{id}}. */
    private static double[] statementsSoFar(Shop shop) {
        var summary = shop.registry().find("shop.sql.statements.per.request").tag("route", "/orders/:id").summary();
        return summary == null ? new double[] {0, 0} : new double[] {summary.count(), summary.totalAmount()};
    }

    /** Responses keyed by request; each page's {@code next} cursor is followed once more, so paging is compared too. */
    private static Map<String, String> responses(Switches switches, List<String> sample) throws Exception {
        Shop shop = TestShops.shop(switches);
        Map<String, String> out = new LinkedHashMap<>();
        for (String path : sample) {
            HttpResponse<String> r = TestShops.get(shop, path);
            out.put(path, r.statusCode() + " " + r.body());
            if (r.statusCode() == 200) {
                JsonNode next = JSON.readTree(r.body()).path("next");
                if (next.isTextual()) {
                    String page2 = path + (path.contains("?") ? "&" : "?") + "after=" + next.asText();
                    HttpResponse<String> r2 = TestShops.get(shop, page2);
                    out.put(path + " -> page 2", r2.statusCode() + " " + r2.body());
                }
            }
        }
        return out;
    }

    private static List<String> sampleRequests() throws SQLException {
        SplittableRandom random = new SplittableRandom(2024);
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            long user = 1 + random.nextLong(TestShops.SPEC.users());
            paths.add("/users/" + user);
            paths.add("/users/" + user + "/orders?limit=5");
            paths.add("/users/" + user + "/orders?since=2025-09-01&limit=3");
            paths.add("/products/" + (1 + random.nextLong(TestShops.SPEC.products())));
            paths.add("/orders/" + (1 + random.nextLong(TestShops.SPEC.orders())));
        }
        for (long busy : busiestUsers(5)) {
            paths.add("/users/" + busy + "/orders?since=2026-01-01&limit=50");
        }
        for (String email : column("SELECT email FROM users ORDER BY id LIMIT 10")) {
            paths.add("/users?email=" + java.net.URLEncoder.encode(email, java.nio.charset.StandardCharsets.UTF_8));
        }
        for (String category : column("SELECT DISTINCT category FROM products ORDER BY category LIMIT 6")) {
            paths.add("/products?category=" + java.net.URLEncoder.encode(category, java.nio.charset.StandardCharsets.UTF_8) + "&limit=10");
        }
        for (String word : List.of("chair", "steel", "lamp", "ergonomic", "zeppelin")) {
            paths.add("/products?q=" + word + "&limit=5");
        }
        paths.add("/products?limit=100");
        paths.add("/users/" + (TestShops.SPEC.users() + 1));
        paths.add("/orders/" + (TestShops.SPEC.orders() + 1000));
        return paths;
    }

    private static List<Long> busiestUsers(int n) throws SQLException {
        return column("SELECT user_id FROM orders GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT " + n)
                .stream().map(Long::parseLong).toList();
    }

    private static List<String> column(String sql) throws SQLException {
        try (Connection c = TestShops.database().getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }
}
