package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.headroom.lab.scenario.Scenario;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One run over two origins: each is a small order service that issues ids of its own and answers 404
 * for an id it did not issue, so a journey step sent to the other origin shows up as an error.
 */
class TargetsTest {
    private OrderService a;
    private OrderService b;

    @BeforeEach
    void start() throws IOException {
        a = new OrderService(1_000);
        b = new OrderService(5_000_000);
    }

    @AfterEach
    void stop() {
        a.server.stop(0);
        b.server.stop(0);
    }

    @Test
    void arrivalsAlternateBetweenTargetsAndJourneysStayWhereTheyStarted() throws Exception {
        Scenario s = Scenario.parse("""
                request browse weight=1
                  GET /products/1
                journey checkout weight=1
                  POST /orders
                  capture order = $.id
                  GET /orders/${order}
                """, "two", null);
        RunResult r = LoadRun.open(a.uri(), new FixedRate(400, 2), s.workload(1)).targets(List.of(a.uri(), b.uri()))
                .connections(4).run();

        assertThat(r.errorCount()).as(r.errors().toString()).isZero();
        assertThat(r.arrivals()).isEqualTo(800);
        // round robin: exactly half of the 800 arrivals (a browse or a journey's first step) each
        assertThat(a.browses.get() + a.created.size()).isEqualTo(400);
        assertThat(b.browses.get() + b.created.size()).isEqualTo(400);
        // every journey read back its order where it created it (elsewhere it would have been a 404)
        assertThat(a.reads.get()).isEqualTo(a.created.size()).isPositive();
        assertThat(b.reads.get()).isEqualTo(b.created.size()).isPositive();
        assertThat(r.requests()).isEqualTo(800 + a.reads.get() + b.reads.get());
        // each target has connections of its own, and only the run's (the rehearsal sends them nothing)
        assertThat(a.peers).hasSize(4);
        assertThat(b.peers).hasSize(4);
        assertThat(r.connections()).isEqualTo(8);
        assertThat(r.generator().connectionsOpened()).isEqualTo(8);
        assertThat(r.target()).isEqualTo(a.uri() + "," + b.uri());
    }

    @Test
    void aClosedModelRunGivesEachTargetItsOwnConcurrency() throws Exception {
        RunResult r = LoadRun.closed(a.uri(), 2, Duration.ofMillis(500), Workload.of(RequestSpec.get("/products/1")))
                .targets(List.of(a.uri(), b.uri())).run();

        assertThat(a.peers).hasSize(2);
        assertThat(b.peers).hasSize(2);
        assertThat(a.browses.get()).isPositive();
        assertThat(b.browses.get()).isPositive();
        assertThat(a.browses.get() + b.browses.get()).isEqualTo(r.requests());
        assertThat(r.connections()).isEqualTo(4);
    }

    @Test
    void anUnreachableTargetIsNamedInTheInvalidReasons() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0)) {
            port = closed.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port + "/");
        RunResult r = LoadRun.open(a.uri(), new FixedRate(40, 1), Workload.of(RequestSpec.get("/products/1")))
                .targets(List.of(a.uri(), nowhere)).connections(2).timeout(Duration.ofSeconds(1)).run();

        assertThat(r.invalidReasons()).contains("only 0 of 2 connections could be opened to " + nowhere);
        assertThat(r.errors()).containsEntry("connect", 20L);
        assertThat(a.browses.get()).isEqualTo(20);
    }

    @Test
    void targetsAreCheckedWhenSet() {
        LoadRun.Builder builder = LoadRun.open(a.uri(), new FixedRate(10, 1), Workload.of(RequestSpec.get("/")));
        assertThatThrownBy(() -> builder.targets(List.of()))
                .hasMessage("targets must name at least one origin, was []");
        assertThatThrownBy(() -> builder.targets(List.of(a.uri(), URI.create("ftp://x/"))))
                .hasMessage("the target must be an http:// URL with a host, was 'ftp://x/'");
        assertThatThrownBy(() -> builder.targets(List.of(a.uri(), b.uri(), a.uri())))
                .hasMessage("targets must be distinct, was '" + a.uri() + "' twice");
    }

    /** Creates orders with ids from its own range, reads back only those; counts what it saw and from where. */
    private static final class OrderService {
        final HttpServer server;
        final AtomicLong ids;
        final AtomicLong browses = new AtomicLong();
        final AtomicLong reads = new AtomicLong();
        final Set<String> created = ConcurrentHashMap.newKeySet();
        final Set<InetSocketAddress> peers = ConcurrentHashMap.newKeySet();

        OrderService(long firstId) throws IOException {
            ids = new AtomicLong(firstId);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            server.createContext("/", this::handle);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }

        private void handle(HttpExchange ex) throws IOException {
            peers.add(ex.getRemoteAddress());
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/products/")) {
                browses.incrementAndGet();
                reply(ex, 200, "{}");
            } else if (ex.getRequestMethod().equals("POST") && path.equals("/orders")) {
                String id = String.valueOf(ids.incrementAndGet());
                created.add(id);
                reply(ex, 201, "{\"id\": " + id + "}");
            } else if (path.startsWith("/orders/") && created.contains(path.substring("/orders/".length()))) {
                reads.incrementAndGet();
                reply(ex, 200, "{}");
            } else {
                reply(ex, 404, "{}");
            }
        }

        private static void reply(HttpExchange ex, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        }
    }
}
