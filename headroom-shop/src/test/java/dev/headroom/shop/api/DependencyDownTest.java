package dev.headroom.shop.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.infra.Infra;
import dev.headroom.infra.Node;
import dev.headroom.infra.NodeSupervisor;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.seed.SeedSpec;
import dev.headroom.testkit.Await;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL and Redis dying under one shop, on servers of this test's own: the database's circuit breaker refuses at
 * once, readiness answers within a second and says why, cached reads go on, and the same shop serves again once the
 * supervisor (or the test) has the server back. The bounds are functional (generous on a busy 2-core machine), not
 * speed claims: before the breaker, each of these requests took the pool's 5 s.
 */
class DependencyDownTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static Infra infra;
    private static Shop shop;

    @BeforeAll
    static void ownServers() throws Exception {
        infra = Infra.builder().temporaryDataDir().postgresPort(0).redisPort(0).durable(false).log(line -> { }).start();
        PostgresNode pg = infra.topology().primary();
        ShopConfig config = ShopConfig.builder().switches(Profile.OPTIMIZED.switches()).port(0)
                .database(pg.jdbcUrl(), pg.user(), pg.password()).redis(infra.topology().redis().uri()).build();
        shop = Shop.start(config, new SeedSpec(200, 50, 300, 7), line -> { });
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void aKilledDatabaseIsRefusedAtOnceAndTheSameShopServesOnceTheSupervisorRestartedIt() throws Exception {
        assertThat(get("/products/1").statusCode()).isEqualTo(200); // now in L1
        Node primary = infra.node("primary");
        List<String> lines = new CopyOnWriteArrayList<>();
        // A 1 s back-off: long enough to look at the shop while the database is down.
        var restarts = new NodeSupervisor.Restarts(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofMinutes(1));
        try (NodeSupervisor supervisor = NodeSupervisor.watch(List.of(primary), Duration.ofMillis(50), restarts, lines::add, n -> { })) {
            killTree(primary.pid().orElseThrow()); // behind the node model's back, as a crash would

            HttpResponse<String> first = get("/users/1/orders?limit=2");
            assertThat(first.statusCode()).as("the first request finds it out: %s", first.body()).isEqualTo(503);
            Await.until(Duration.ofSeconds(5), () -> metric("headroom_db_breaker_state"), state -> state == 1.0);

            long start = System.nanoTime();
            HttpResponse<String> refused = get("/users/2/orders?limit=2");
            long refusedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refusedMs).as("refused at once, not after the pool's 5 s").isLessThan(100);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.headers().firstValue("Content-Type")).hasValue(Api.PROBLEM_JSON);
            assertThat(Api.parse(refused.body()).get("detail").asText()).startsWith("the database is unreachable: Connection to 127.0.0.1:");

            start = System.nanoTime();
            HttpResponse<String> ready = get("/health/ready");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(check(ready, "postgres").get("detail").asText()).startsWith("unreachable: Connection to 127.0.0.1:");
            assertThat(check(ready, "redis").get("status").asText()).isEqualTo("UP");

            assertThat(get("/products/1").statusCode()).as("a cached read needs no database").isEqualTo(200);
            assertThat(metric("headroom_db_breaker_rejected_total")).isGreaterThanOrEqualTo(1.0);

            Await.until(Duration.ofSeconds(15), () -> primary.healthy(Duration.ofMillis(200)), up -> up);
            long back = System.nanoTime();
            Await.until(Duration.ofSeconds(5), () -> get("/users/1/orders?limit=2").statusCode(), status -> status == 200);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back)).as("served again within 5 s of the database").isLessThan(5_000);
            assertThat(get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(metric("headroom_db_breaker_state")).isZero();
            assertThat(metric("headroom_db_breaker_transitions_total{to=\"closed\"}")).isEqualTo(1.0);
        }
        assertThat(lines).anyMatch(l -> l.startsWith("primary exited unexpectedly (pid "));
        assertThat(lines).anyMatch(l -> l.startsWith("primary serves again at "));
    }

    @Test
    void aKilledRedisLeavesCachedReadsToTheDatabaseAndReadinessSaysWhy() throws Exception {
        Node redis = infra.node("redis");
        redis.kill();
        try {
            // Reads of entries L1 does not hold ask L2, time out, and go to the database; enough of them open the L2 breaker.
            for (int id = 10; id < 22; id++) {
                assertThat(get("/users/" + id).statusCode()).isEqualTo(200);
            }
            // The first check may wait out its PING; once that failed, the open breaker answers at once.
            HttpResponse<String> ready = Await.until(Duration.ofSeconds(3), () -> {
                long start = System.nanoTime();
                HttpResponse<String> r = get("/health/ready");
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
                assertThat(r.statusCode()).isEqualTo(503);
                return r;
            }, r -> check(r, "redis").get("detail").asText().startsWith("unreachable: "));
            // the cache's last L2 failure (a GET, a lease's SET NX…), not readiness's own PING
            assertThat(check(ready, "redis").get("detail").asText()).matches("unreachable: [A-Z][A-Z ]* (timed out|failed: .+|refused: .+)");
            assertThat(check(ready, "postgres").get("status").asText()).isEqualTo("UP");
        } finally {
            redis.restart();
        }
        // Lettuce reconnects the shop's connections by itself: readiness sees Redis although the L2 breaker is still open.
        Await.until(Duration.ofSeconds(5), () -> get("/health/ready").statusCode(), status -> status == 200);
        // The breaker closes on its trial commands, which reads of entries L1 does not hold bring.
        int[] next = {100};
        Await.until(Duration.ofSeconds(5), () -> {
            assertThat(get("/users/" + next[0]++).statusCode()).isEqualTo(200);
            return metric("headroom_cache_l2_breaker_state{cache=\"shop-users\"}");
        }, state -> state == 0.0);
    }

    private static JsonNode check(HttpResponse<String> ready, String name) {
        for (JsonNode c : Api.parse(ready.body()).get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no " + name + " check in " + ready.body());
    }

    private static void killTree(long pid) throws Exception {
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly();
        postmaster.onExit().get(5, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(String sample) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
