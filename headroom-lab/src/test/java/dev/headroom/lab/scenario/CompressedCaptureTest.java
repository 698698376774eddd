package dev.headroom.lab.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.headroom.lab.run.FixedRate;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Captures from compressed answers, against an order service that gzips its JSON when the request
 * accepts gzip, answers one route in {@code br} (which the lab cannot decode), and serves a "gzip" body
 * that is not gzip on a route no capture reads. That the coding is not even looked at without a capture
 * is {@code ResponseParserTest}'s to show.
 */
class CompressedCaptureTest {
    private HttpServer server;
    private final AtomicLong ids = new AtomicLong(1000);
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final AtomicLong gzipped = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/orders", this::orders);
        server.createContext("/br/orders", ex -> reply(ex, 201, "br", "not really brotli".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/corrupt", ex -> reply(ex, 200, "gzip", "not gzip at all".getBytes(StandardCharsets.UTF_8)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void orders(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (ex.getRequestMethod().equals("POST") && path.equals("/orders")) {
            String id = String.valueOf(ids.incrementAndGet());
            created.add(id);
            byte[] json = ("{\"id\": " + id + ", \"status\": \"placed\"}").getBytes(StandardCharsets.UTF_8);
            String accepted = ex.getRequestHeaders().getFirst("Accept-Encoding");
            if (accepted != null && accepted.contains("gzip")) {
                gzipped.incrementAndGet();
                reply(ex, 201, "gzip", gzip(json));
            } else {
                reply(ex, 201, null, json);
            }
        } else if (created.contains(path.substring("/orders/".length()))) {
            reads.incrementAndGet();
            reply(ex, 200, null, "{}".getBytes(StandardCharsets.UTF_8));
        } else {
            reply(ex, 404, null, "{}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static void reply(HttpExchange ex, int status, String encoding, byte[] body) throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        if (encoding != null) {
            ex.getResponseHeaders().add("Content-Encoding", encoding);
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Test
    void capturesReadGzipBodiesAndNameTheEncodingTheyCannotRead() throws Exception {
        Scenario s = Scenario.parse("""
                header Accept-Encoding: gzip, br
                request browse weight=1
                  GET /corrupt
                journey checkout weight=2
                  POST /orders
                  capture order = $.id
                  GET /orders/${order}
                journey brotli weight=1
                  POST /br/orders
                  capture order = $.id
                  GET /orders/${order}
                """, "compressed", null);
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        RunResult r = LoadRun.open(base, new FixedRate(200, 2), s.workload(1)).connections(16).run();

        Map<String, Long> byName = r.byName().stream().collect(Collectors.toMap(RunResult.RequestStats::name, RunResult.RequestStats::requests));
        // every gzipped order was captured and read back
        assertThat(gzipped.get()).isEqualTo(created.size()).isEqualTo(byName.get("checkout[1]")).isPositive();
        assertThat(reads.get()).isEqualTo(created.size()).isEqualTo(byName.get("checkout[2]"));
        // a br answer fails its step as a capture error naming the encoding, and ends the journey there
        assertThat(byName.get("brotli[1]")).isPositive();
        assertThat(byName).doesNotContainKey("brotli[2]");
        assertThat(r.errors()).containsEntry("capture (content-encoding br)", byName.get("brotli[1]"));
        // a corrupt "gzip" body that no capture reads is no error
        assertThat(byName.get("browse")).isPositive();
        assertThat(r.errors()).containsEntry("capture", 0L).containsEntry("status", 0L);
        assertThat(r.errorCount()).isEqualTo(byName.get("brotli[1]"));
        assertThat(r.arrivals()).isEqualTo(400);
    }
}
