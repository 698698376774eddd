package dev.headroom.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.headroom.lab.run.FixedRate;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scenarios driven by the real engine against a small order service: journeys must create an order,
 * capture its id and read that very order back; a read of an id the service never issued is a 404 and
 * would show up as an error.
 */
class ScenarioRunTest {
    private HttpServer server;
    private final AtomicLong ids = new AtomicLong(1000);
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> productReads = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/orders", this::orders);
        server.createContext("/products/", ex -> {
            productReads.computeIfAbsent(ex.getRequestURI().getPath().substring("/products/".length()), k -> new AtomicLong()).incrementAndGet();
            reply(ex, 200, "{}");
        });
        server.createContext("/broken", ex -> reply(ex, 201, "{\"no_id\": true}"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void orders(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (ex.getRequestMethod().equals("POST") && path.equals("/orders")) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!body.contains("\"product_id\"")) {
                reply(ex, 400, "{}");
                return;
            }
            pause(); // slow writes keep journeys in flight when the last arrival is sent
            String id = String.valueOf(ids.incrementAndGet());
            created.add(id);
            reply(ex, 201, "{\"id\": " + id + ", \"status\": \"placed\"}");
        } else if (ex.getRequestMethod().equals("GET") && created.contains(path.substring("/orders/".length()))) {
            reply(ex, 200, "{}");
        } else {
            reply(ex, 404, "{}");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void journeysReadBackTheOrderTheyCreated() throws Exception {
        Scenario s = Scenario.parse("""
                request browse weight=3
                  GET /products/${zipf(1..50)}
                journey checkout weight=1
                  POST /orders
                  header Content-Type: application/json
                  body {"items": [{"product_id": ${uniform(1..50)}, "quantity": 1}]}
                  capture order = $.id
                  GET /orders/${order}
                """, "shop", null);
        RunResult r = LoadRun.open(base(), new FixedRate(400, 2), s.workload(1)).connections(32).run();

        assertThat(r.errors()).containsEntry("status", 0L).containsEntry("capture", 0L).containsEntry("timeout", 0L);
        Map<String, Long> byName = r.byName().stream().collect(Collectors.toMap(RunResult.RequestStats::name, RunResult.RequestStats::requests));
        assertThat(byName).containsOnlyKeys("browse", "checkout[1]", "checkout[2]");
        // every journey that created an order went on to read it, even those started just before the end
        assertThat(byName.get("checkout[2]")).isEqualTo(byName.get("checkout[1]")).isEqualTo((long) created.size());
        assertThat(byName.get("browse") + byName.get("checkout[1]")).isEqualTo(800).isEqualTo(r.arrivals());
        assertThat(r.requests()).isEqualTo(800 + byName.get("checkout[2]"));
        assertThat(r.achievedRate()).isCloseTo(400, org.assertj.core.data.Offset.offset(1.0)); // arrivals, as planned
        assertThat(byName.get("browse") / 800.0).isBetween(0.68, 0.82);
        // Zipf: key 1 is read more often than key 50
        assertThat(productReads.get("1").get()).isGreaterThan(5 * productReads.getOrDefault("50", new AtomicLong()).get());
    }

    @Test
    void anAnswerWithoutTheCapturedValueIsACaptureErrorAndEndsTheJourney() throws Exception {
        Scenario s = Scenario.parse("""
                journey broken
                  POST /broken
                  capture order = $.id
                  GET /orders/${order}
                """, "t", null);
        RunResult r = LoadRun.closed(base(), 2, Duration.ofMillis(500), s.workload(1)).run();

        assertThat(r.errors().get("capture")).isPositive().isEqualTo(r.requests());
        assertThat(r.byName()).extracting(RunResult.RequestStats::name).containsExactly("broken[1]");
        assertThat(r.statuses()).containsOnlyKeys(201);
    }
}
