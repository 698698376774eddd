package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.CLIENT;
import static dev.headroom.edge.proxy.EdgeTesting.admin;
import static dev.headroom.edge.proxy.EdgeTesting.await;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static dev.headroom.edge.proxy.EdgeTesting.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which backends the edge sends to as their health changes: active checks (every second, the interval a
 * ClusterSpec cannot change), passive ejection, drains. Round robin over two backends.
 */
class HealthTest {
    private static Vertx vertx;
    private TestBackend a;
    private TestBackend b;
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
    void startBackends() {
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
    }

    @AfterEach
    void stop() {
        edge.close();
        a.close();
        b.close();
    }

    private void startEdge(String checkPath) {
        edge = EdgeTesting.start(config().cluster(new ClusterSpec("shop", List.of(a.backend(), b.backend()), Algorithm.ROUND_ROBIN,
                null, checkPath, Duration.ZERO)));
    }

    @Test
    void aBackendFailingItsChecksIsTakenOutAndComesBack() {
        startEdge(ClusterSpec.DEFAULT_CHECK_PATH);
        a.healthStatus.set(503);
        await("a unhealthy", () -> edge.states("shop").contains("a=unhealthy"));
        int before = a.served();
        assertThat(names(edge, 10)).containsOnly("b");
        assertThat(a.served()).isEqualTo(before);

        a.healthStatus.set(200);
        await("a healthy again", () -> edge.states("shop").contains("a=healthy"));
        assertThat(names(edge, 10)).containsOnly("a", "b").contains("a");
        assertThat(a.served()).isEqualTo(before + 5);
    }

    @Test
    void fiveConsecutive5xxEjectABackend() {
        startEdge(null);
        a.status.set(500);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            statuses.add(get(edge, "/").statusCode());
        }
        assertThat(a.served()).as("a is ejected after its fifth 500").isEqualTo(5);
        assertThat(statuses).filteredOn(s -> s == 500).hasSize(5);
        assertThat(edge.states("shop")).containsExactly("a=ejected", "b=healthy");
        assertThat(names(edge, 4)).containsOnly("b");
        JsonObject listed = new JsonArray(admin(edge, "GET", "/admin/clusters", null).body()).getJsonObject(0)
                .getJsonArray("backends").getJsonObject(0);
        assertThat(listed.getString("state")).isEqualTo("ejected");
        assertThat(listed.getInteger("ejections")).isEqualTo(1);
        assertThat(listed.getLong("ejected_for_ms")).as("the first ejection lasts the base time, 30 s").isBetween(1L, 30_000L);
    }

    @Test
    void whenTooFewBackendsAreHealthyThePanicSendsToAll() {
        startEdge(ClusterSpec.DEFAULT_CHECK_PATH);
        a.healthStatus.set(503);
        b.healthStatus.set(503);
        await("both unhealthy", () -> edge.states("shop").equals(List.of("a=unhealthy", "b=unhealthy")));
        assertThat(names(edge, 10)).as("none healthy: better a maybe-bad backend than none").containsOnly("a", "b").contains("a", "b");
        assertThat(edge.metrics()).contains("headroom_edge_panic{cluster=\"shop\"} 1\n");
        assertThat(new JsonArray(admin(edge, "GET", "/admin/clusters", null).body()).getJsonObject(0).getBoolean("panicking")).isTrue();
    }

    @Test
    void aDrainingBackendFinishesWhatItHasAndGetsNothingNew() throws Exception {
        startEdge(null);
        CompletableFuture<HttpResponse<String>> slow = CLIENT.sendAsync(
                EdgeTesting.request(edge.url() + "/slow?ms=3000").build(), HttpResponse.BodyHandlers.ofString());
        await("the slow request at a backend", () -> a.served() + b.served() == 1);
        TestBackend busy = a.served() == 1 ? a : b;
        TestBackend idle = busy == a ? b : a;

        HttpResponse<String> drain = admin(edge, "POST", "/admin/clusters/shop/backends/" + busy.name + "/drain", null);
        assertThat(drain.statusCode()).isEqualTo(202);
        assertThat(new JsonObject(drain.body()).getString("state")).isEqualTo("draining");
        assertThat(edge.states("shop")).contains(busy.name + "=draining");

        assertThat(names(edge, 10)).containsOnly(idle.name);
        assertThat(busy.served()).isEqualTo(1);

        HttpResponse<String> answered = slow.get(10, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(answered.body()).isEqualTo(busy.name);
        await(busy.name + " removed once drained", () -> edge.states("shop").equals(List.of(idle.name + "=healthy")));
    }
}
