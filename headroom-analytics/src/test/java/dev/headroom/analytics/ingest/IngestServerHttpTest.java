package dev.headroom.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IngestServerHttpTest {
    private static final String LINE = "{\"type\":\"order_placed\",\"time\":1764633600000,\"user\":42,\"product\":7,\"category\":3,\"amount_cents\":1999}\n";
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final TestSink sink = TestSink.keeping();
    private IngestServer server;
    private URI events;

    @BeforeEach
    void start() {
        server = IngestServer.builder().sink(sink).httpPort(0).maxBodyBytes(1024).batchSize(2).defaultSource(5).build();
        events = URI.create("http://127.0.0.1:" + server.start().http() + "/events");
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpRequest.Builder post(String contentType, String body) {
        return HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(5)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anNdjsonBodyIsAcceptedWhole() throws Exception {
        HttpResponse<String> r = send(post("application/x-ndjson; charset=utf-8", LINE.repeat(5)).header("Headroom-Source", "12"));

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("{\"accepted\":5}");
        assertThat(sink.batches()).extracting(b -> b.source() + "/" + b.size()).containsExactly("12/2", "12/2", "12/1");
        assertThat(server.stats().events()).isEqualTo(5);
    }

    @Test
    void withoutASourceHeaderTheDefaultSourceIsUsed() throws Exception {
        assertThat(send(post("application/x-ndjson", LINE)).statusCode()).isEqualTo(202);
        assertThat(sink.batches()).extracting(b -> b.source()).containsExactly(5);
    }

    @Test
    void aBadLineIsA400ProblemNamingLineAndFieldAndNothingIsAccepted() throws Exception {
        HttpResponse<String> r = send(post("application/x-ndjson", LINE + LINE + "{\"type\":\"search\",\"time\":1}\n"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).isEqualTo("{\"type\":\"https://headroom.dev/problems/bad-events\",\"title\":\"Bad events\","
                + "\"status\":400,\"detail\":\"line 3, field \\\"user\\\": is required; nothing of this body was accepted\"}");
        assertThat(sink.events()).isZero();
        assertThat(server.stats().refusedRequests()).isEqualTo(1);
    }

    @Test
    void aBodyOverTheLimitIsA413Problem() throws Exception {
        HttpResponse<String> r = send(post("application/x-ndjson", LINE.repeat(20)));

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"status\":413", "the body must be at most 1024 bytes, was at least "
                + LINE.repeat(20).length() + " bytes");
        assertThat(sink.events()).isZero();
    }

    @Test
    void aBodyOverTheLimitWithoutAContentLengthIsA413Problem() throws Exception {
        byte[] body = LINE.repeat(20).getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();

        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(sink.events()).isZero();
    }

    @Test
    void anotherContentTypeIsA415Problem() throws Exception {
        HttpResponse<String> r = send(post("application/json", LINE));

        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("Content-Type must be application/x-ndjson, was application/json");
    }

    @Test
    void aSourceThatIsNotANumberIsA400Problem() throws Exception {
        HttpResponse<String> r = send(post("application/x-ndjson", LINE).header("Headroom-Source", "shop"));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("Headroom-Source must be an integer, was shop");
    }

    @Test
    void aStalledSinkHoldsTheAnswerUntilItTakesTheEvents() throws Exception {
        sink.stall();
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(post("application/x-ndjson", LINE.repeat(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sink.waiting() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sink.waiting()).isEqualTo(1);
        assertThat(answer).isNotDone();

        sink.release();

        assertThat(answer.get(5, TimeUnit.SECONDS).body()).isEqualTo("{\"accepted\":3}");
        assertThat(sink.events()).isEqualTo(3);
    }

    @Test
    void bodiesHeldOverAllRequestsAreBoundedAndGivenBackWhenAnswered() throws Exception {
        TestSink stalled = TestSink.keeping();
        try (IngestServer bounded = IngestServer.builder().sink(stalled).httpPort(0).maxBodyBytes(1024).maxBufferedBytes(1024).build()) {
            URI uri = URI.create("http://127.0.0.1:" + bounded.start().http() + "/events");
            stalled.stall();
            CompletableFuture<HttpResponse<String>> held = client.sendAsync(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-ndjson").POST(chunked(LINE.repeat(3))).build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (stalled.waiting() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            HttpRequest second = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/x-ndjson")
                    .POST(chunked(LINE.repeat(8))).build();

            HttpResponse<String> refused = client.send(second, HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("3 + 8 lines (%d bytes) are past the 1,024 held at once", LINE.length() * 11).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(refused.body()).contains("ingest-busy", "its limit for all requests at once is 1024 bytes");

            stalled.release();
            assertThat(held.get(5, TimeUnit.SECONDS).body()).isEqualTo("{\"accepted\":3}");
            assertThat(client.send(second, HttpResponse.BodyHandlers.ofString()).statusCode()).as("given back once answered").isEqualTo(202);
            assertThat(stalled.events()).isEqualTo(11);
        }
    }

    /** Without a Content-Length, so the server counts the bytes as they arrive. */
    private static HttpRequest.BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }

    @Test
    void aSinkThatFailsIsA503ProblemNotASilentRequest() throws Exception {
        try (IngestServer failing = IngestServer.builder().httpPort(0).sink(new dev.headroom.analytics.event.EventSink() {
            @Override
            public boolean offer(dev.headroom.analytics.event.EventBatch batch) {
                throw new IllegalStateException("the engine is closed");
            }

            @Override
            public void whenWritable(Runnable ready) {
                ready.run();
            }
        }).build()) {
            URI url = URI.create("http://127.0.0.1:" + failing.start().http() + "/events");
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(LINE)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(r.body()).contains("the engine is closed");
        }
    }

    @Test
    void malformedJsonInAnUnknownFieldIsA400Problem() throws Exception {
        HttpResponse<String> r = send(post("application/x-ndjson", "{\"type\":\"search\",\"time\":1,\"user\":2,\"extra\":[1,}\n"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("line 1").contains("malformed JSON");
        assertThat(sink.events()).isZero();
    }
}
