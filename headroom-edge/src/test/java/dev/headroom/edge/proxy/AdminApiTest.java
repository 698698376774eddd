package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.admin;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.names;
import static dev.headroom.edge.proxy.EdgeTesting.request;
import static dev.headroom.edge.proxy.EdgeTesting.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API on its own port: its token, the backends' listing and changes, its refusals, /metrics. */
class AdminApiTest {
    private static Vertx vertx;
    private TestBackend a;
    private TestBackend b;
    private TestBackend c;
    private EdgeServer edge;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @BeforeEach
    void start() {
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
        c = TestBackend.start(vertx, "c");
        edge = EdgeTesting.start(config().cluster(EdgeTesting.cluster("shop", Algorithm.WEIGHTED, a, b)));
    }

    @AfterEach
    void stop() {
        edge.close();
        a.close();
        b.close();
        c.close();
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(new JsonObject(r.body()).getInteger("status")).isEqualTo(status);
    }

    private static String detail(HttpResponse<String> r) {
        return new JsonObject(r.body()).getString("detail");
    }

    @Test
    void withoutTheTokenIs401() {
        HttpResponse<String> none = send(request(edge.adminUrl() + "/admin/clusters").build());
        assertProblem(none, 401);
        assertThat(none.headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer "));
        for (String wrong : List.of("Bearer wrong-token-1234", "Bearer " + EdgeTesting.TOKEN + "x", EdgeTesting.TOKEN, "Basic dGVzdA==")) {
            HttpResponse<String> r = send(request(edge.adminUrl() + "/admin/clusters", "Authorization", wrong).build());
            assertProblem(r, 401);
            assertThat(r.headers().firstValue("www-authenticate")).isPresent();
        }
        HttpResponse<String> delete = send(request(edge.adminUrl() + "/admin/clusters/shop/backends/a").DELETE().build());
        assertProblem(delete, 401);
        assertThat(edge.states("shop")).contains("a=healthy");
    }

    @Test
    void theClustersAreListedWithTheirBackendsStates() {
        HttpResponse<String> r = admin(edge, "GET", "/admin/clusters", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray clusters = new JsonArray(r.body());
        assertThat(clusters).hasSize(1);
        JsonObject shop = clusters.getJsonObject(0);
        assertThat(shop.getString("name")).isEqualTo("shop");
        assertThat(shop.getString("algorithm")).isEqualTo("weighted");
        JsonArray backends = shop.getJsonArray("backends");
        assertThat(backends.stream().map(o -> ((JsonObject) o).getString("id"))).containsExactly("a", "b");
        JsonObject first = backends.getJsonObject(0);
        assertThat(first.getString("state")).isEqualTo("healthy");
        assertThat(first.getString("url")).isEqualTo(a.url().toString());
        assertThat(first.getInteger("weight")).isEqualTo(1);
    }

    @Test
    void anAddedBackendGetsTraffic() {
        HttpResponse<String> r = admin(edge, "POST", "/admin/clusters/shop/backends",
                new JsonObject().put("url", c.url().toString()).put("id", "c").encode());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(new JsonObject(r.body()).getString("state")).isEqualTo("healthy");
        assertThat(edge.states("shop")).containsExactly("a=healthy", "b=healthy", "c=healthy");
        names(edge, 9);
        assertThat(c.served()).isBetween(2, 4);
    }

    @Test
    void addingAnIdTwiceIs400() {
        HttpResponse<String> r = admin(edge, "POST", "/admin/clusters/shop/backends",
                new JsonObject().put("url", c.url().toString()).put("id", "a").encode());
        assertProblem(r, 400);
        assertThat(detail(r)).contains("'a'");
    }

    /** An id is a path segment of the admin API: one with '/' could never be removed, drained or re-weighted. */
    @Test
    void aBackendIdWithASlashIsRefused() {
        HttpResponse<String> added = admin(edge, "POST", "/admin/clusters/shop/backends",
                new JsonObject().put("url", c.url().toString()).put("id", "rack/1").encode());
        assertProblem(added, 400);
        assertThat(detail(added)).contains("'rack/1'");
        assertThat(edge.states("shop")).containsExactly("a=healthy", "b=healthy");
    }

    @Test
    void aDeletedBackendGetsNoMoreTraffic() {
        HttpResponse<String> r = admin(edge, "DELETE", "/admin/clusters/shop/backends/b", null);
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(names(edge, 6)).containsOnly("a");
        assertThat(b.served()).isZero();
        assertProblem(admin(edge, "DELETE", "/admin/clusters/shop/backends/b", null), 404);
        assertProblem(admin(edge, "DELETE", "/admin/clusters/nope/backends/a", null), 404);
    }

    @Test
    void aNewWeightChangesTheShare() {
        HttpResponse<String> r = admin(edge, "PUT", "/admin/clusters/shop/backends/b/weight", "{\"weight\": 3}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getInteger("weight")).isEqualTo(3);
        List<String> seen = names(edge, 40);
        assertThat(Collections.frequency(seen, "b")).isEqualTo(30);
        assertThat(Collections.frequency(seen, "a")).isEqualTo(10);
    }

    @Test
    void badJsonIs400() {
        HttpResponse<String> r = admin(edge, "POST", "/admin/clusters/shop/backends", "{\"url\": ");
        assertProblem(r, 400);
        assertThat(edge.states("shop")).hasSize(2);
    }

    @Test
    void anUnknownFieldIs400NamingIt() {
        HttpResponse<String> add = admin(edge, "POST", "/admin/clusters/shop/backends",
                new JsonObject().put("url", c.url().toString()).put("wieght", 2).encode());
        assertProblem(add, 400);
        assertThat(detail(add)).contains("'wieght'");
        HttpResponse<String> weight = admin(edge, "PUT", "/admin/clusters/shop/backends/a/weight", "{\"weigth\": 2}");
        assertProblem(weight, 400);
        assertThat(detail(weight)).contains("'weigth'");
        assertThat(edge.states("shop")).hasSize(2);
    }

    @Test
    void aWeightOutOfRangeIs400() {
        HttpResponse<String> r = admin(edge, "PUT", "/admin/clusters/shop/backends/a/weight", "{\"weight\": 0}");
        assertProblem(r, 400);
        assertThat(detail(r)).contains("weight");
        assertProblem(admin(edge, "PUT", "/admin/clusters/shop/backends/a/weight", "{}"), 400);
    }

    /** The field is named, not Java's cast message. */
    @Test
    void aWeightOfTheWrongTypeIs400NamingTheField() {
        HttpResponse<String> r = admin(edge, "PUT", "/admin/clusters/shop/backends/a/weight", "{\"weight\": \"3\"}");
        assertProblem(r, 400);
        assertThat(detail(r)).contains("weight").doesNotContain("java.lang");
    }

    @Test
    void aBadUrlIs400() {
        HttpResponse<String> r = admin(edge, "POST", "/admin/clusters/shop/backends", "{\"url\": \"ftp://127.0.0.1:21\"}");
        assertProblem(r, 400);
        assertThat(detail(r)).contains("http://");
    }

    @Test
    void metricsCountEachBackendsAnswersAndTheirDurations() {
        b.status.set(500);
        names(edge, 4);
        HttpResponse<String> r = send(request(edge.adminUrl() + "/metrics").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        String m = r.body();
        assertThat(m).contains("headroom_edge_requests_total{cluster=\"shop\",backend=\"a\",code=\"2xx\"} 2\n")
                .contains("headroom_edge_requests_total{cluster=\"shop\",backend=\"a\",code=\"5xx\"} 0\n")
                .contains("headroom_edge_requests_total{cluster=\"shop\",backend=\"b\",code=\"5xx\"} 2\n")
                .contains("headroom_edge_requests_total{cluster=\"shop\",backend=\"b\",code=\"2xx\"} 0\n")
                .contains("# TYPE headroom_edge_request_duration_seconds histogram\n")
                .contains("headroom_edge_request_duration_seconds_bucket{cluster=\"shop\",backend=\"a\",le=\"+Inf\"} 2\n")
                .contains("headroom_edge_request_duration_seconds_count{cluster=\"shop\",backend=\"a\"} 2\n")
                .containsPattern("headroom_edge_request_duration_seconds_sum\\{cluster=\"shop\",backend=\"a\"} [0-9.eE-]+\n")
                .contains("headroom_edge_backend_state{cluster=\"shop\",backend=\"a\",state=\"healthy\"} 1\n");
        Matcher buckets = Pattern.compile("headroom_edge_request_duration_seconds_bucket\\{cluster=\"shop\",backend=\"a\",le=\"[^\"]+\"} (\\d+)")
                .matcher(m);
        long previous = 0;
        int lines = 0;
        while (buckets.find()) {
            long count = Long.parseLong(buckets.group(1));
            assertThat(count).as("buckets are cumulative").isGreaterThanOrEqualTo(previous);
            previous = count;
            lines++;
        }
        assertThat(lines).isEqualTo(LatencyBuckets.BOUNDS.length + 1);
    }

    /** The text format wants each metric's lines as one group after its TYPE line, also with several backends. */
    @Test
    void eachMetricsLinesAreOneGroup() {
        names(edge, 2);
        String m = send(request(edge.adminUrl() + "/metrics").build()).body();
        Set<String> ended = new HashSet<>();
        String current = null;
        for (String line : m.split("\n")) {
            String family;
            if (line.startsWith("# TYPE ") || line.startsWith("# HELP ")) {
                family = line.split(" ")[2];
            } else {
                family = line.substring(0, line.indexOf(line.contains("{") ? '{' : ' ')).replaceAll("_(bucket|sum|count)$", "");
            }
            if (!family.equals(current)) {
                assertThat(ended).as("%s again after other metrics, at: %s", family, line).doesNotContain(family);
                if (current != null) {
                    ended.add(current);
                }
                current = family;
            }
        }
    }
}
