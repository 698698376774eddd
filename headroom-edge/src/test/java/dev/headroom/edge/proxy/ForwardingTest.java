package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.CLIENT;
import static dev.headroom.edge.proxy.EdgeTesting.cluster;
import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static dev.headroom.edge.proxy.EdgeTesting.post;
import static dev.headroom.edge.proxy.EdgeTesting.raw;
import static dev.headroom.edge.proxy.EdgeTesting.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a request and its answer look like on the other side of the proxy. */
class ForwardingTest {
    private static final int TWO_MIB = 2 * 1024 * 1024;
    private static Vertx vertx;
    private static TestBackend backend;
    private static RawBackend closeDelimited;
    private static RawBackend truncating;
    private static RawBackend headOnly;
    private static EdgeServer edge;

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        backend = TestBackend.start(vertx, "a");
        // before keep-alive: no Content-Length, no chunks, the body ends when the connection does
        closeDelimited = new RawBackend(RawBackend.head("HTTP/1.1 200 OK", "Content-Type: application/octet-stream", "Connection: close"),
                TestBackend.pattern(TWO_MIB).getBytes());
        // a backend that dies in the middle of a chunked answer, before its last chunk
        // what a HEAD of a 2 MiB answer gets: its length, no body
        headOnly = new RawBackend(RawBackend.head("HTTP/1.1 200 OK", "Content-Length: " + TWO_MIB, "Connection: close"), new byte[0]);
        truncating = new RawBackend(RawBackend.head("HTTP/1.1 200 OK", "Transfer-Encoding: chunked"),
                ("10000\r\n" + "t".repeat(0x10000) + "\r\n" + "10000\r\n" + "u".repeat(0x8000)).getBytes(StandardCharsets.US_ASCII));
        edge = EdgeTesting.start(config()
                .cluster(cluster("main", Algorithm.ROUND_ROBIN, backend))
                .cluster(cluster("raw", Algorithm.ROUND_ROBIN, List.of(new Backend("raw", closeDelimited.url(), 1))))
                .cluster(cluster("truncating", Algorithm.ROUND_ROBIN, List.of(new Backend("truncating", truncating.url(), 1))))
                .cluster(cluster("head-only", Algorithm.ROUND_ROBIN, List.of(new Backend("head-only", headOnly.url(), 1))))
                .route(new Route(null, "/close-delimited", "raw"))
                .route(new Route(null, "/head-only", "head-only"))
                .route(new Route(null, "/truncated", "truncating"))
                .route(new Route(null, "/", "main")));
    }

    @AfterAll
    static void stop() throws IOException {
        edge.close();
        closeDelimited.close();
        truncating.close();
        headOnly.close();
        vertx.close();
    }

    @Test
    void statusBodyAndResponseHeadersPass() {
        HttpResponse<String> r = get(edge, "/status/201?q=1");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.body()).isEqualTo("a");
        assertThat(r.headers().firstValue("x-custom")).hasValue("from a");
        assertThat(backend.last().uri()).isEqualTo("/status/201?q=1");
    }

    @Test
    void hopByHopRequestHeadersAreNotForwarded() {
        EdgeTesting.RawResponse r = raw(edge.port(), String.join("\r\n", "GET /hop-request HTTP/1.1", "Host: shop.test",
                "Connection: close, X-Secret", "Keep-Alive: timeout=5", "TE: trailers", "Upgrade: foo/1",
                "X-Secret: for this hop only", "X-Kept: end to end"));
        assertThat(r.status()).isEqualTo(200);
        var headers = backend.last().headers();
        assertThat(headers.get("x-kept")).isEqualTo("end to end");
        assertThat(headers.names()).map(String::toLowerCase).doesNotContain("keep-alive", "te", "upgrade", "x-secret");
        assertThat(String.valueOf(headers.get("connection")).toLowerCase()).doesNotContain("x-secret").doesNotContain("close");
    }

    @Test
    void hopByHopResponseHeadersAreNotForwarded() {
        HttpResponse<String> r = get(edge, "/hop");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-custom")).hasValue("passes");
        assertThat(r.headers().map().keySet()).map(String::toLowerCase).doesNotContain("x-private", "keep-alive", "upgrade");
        assertThat(r.headers().firstValue("connection").orElse("")).doesNotContainIgnoringCase("x-private");
    }

    @Test
    void theBackendLearnsWhoAsked() {
        get(edge, "/who", "X-Forwarded-For", "203.0.113.7", "Forwarded", "for=198.51.100.1");
        var headers = backend.last().headers();
        assertThat(headers.get("x-forwarded-for")).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(headers.get("x-forwarded-proto")).isEqualTo("http");
        assertThat(headers.get("x-forwarded-host")).as("as the client wrote it").isEqualTo("127.0.0.1:" + edge.port());
        assertThat(headers.get("forwarded")).isEqualTo("for=198.51.100.1, for=127.0.0.1;proto=http;host=\"127.0.0.1:" + edge.port() + "\"");
    }

    @Test
    void theForwardedHeadersAreMadeWhenTheClientSentNone() {
        EdgeTesting.RawResponse r = raw(edge.port(), String.join("\r\n", "GET /first-hop HTTP/1.1", "Host: shop.example.com:8443",
                "Connection: close"));
        assertThat(r.status()).isEqualTo(200);
        var headers = backend.last().headers();
        assertThat(headers.get("x-forwarded-for")).isEqualTo("127.0.0.1");
        assertThat(headers.get("x-forwarded-host")).isEqualTo("shop.example.com:8443");
        assertThat(headers.get("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"shop.example.com:8443\"");
    }

    @Test
    void aSaneRequestIdIsPropagatedBothWays() {
        HttpResponse<String> r = get(edge, "/id", "X-Request-Id", "order-42.retry_1");
        assertThat(backend.last().headers().getAll("x-request-id")).containsExactly("order-42.retry_1");
        assertThat(r.headers().firstValue("x-request-id")).hasValue("order-42.retry_1");
    }

    @Test
    void aRequestIdOf128CharactersIsTheLongestKept() {
        String longest = "i".repeat(128);
        get(edge, "/id", "X-Request-Id", longest);
        assertThat(backend.last().headers().get("x-request-id")).isEqualTo(longest);
    }

    @Test
    void aMissingRequestIdIsMade() {
        HttpResponse<String> r = get(edge, "/id");
        String made = backend.last().headers().get("x-request-id");
        assertThat(made).matches("[0-9a-f]{32}");
        assertThat(r.headers().firstValue("x-request-id")).hasValue(made);
        get(edge, "/id");
        assertThat(backend.last().headers().get("x-request-id")).as("a new one per request").isNotEqualTo(made);
    }

    @Test
    void anInvalidRequestIdIsReplaced() {
        String tooLong = "x".repeat(129);
        get(edge, "/id", "X-Request-Id", tooLong);
        assertThat(backend.last().headers().getAll("x-request-id")).singleElement().asString().matches("[0-9a-f]{32}");
        HttpResponse<String> r = get(edge, "/id", "X-Request-Id", "has spaces in it");
        assertThat(backend.last().headers().getAll("x-request-id")).singleElement().asString().matches("[0-9a-f]{32}");
        assertThat(r.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
    }

    @Test
    void aPostBodyArrivesIntact() {
        String body = "line of an order\n".repeat(6_000); // about 100 KB, more than one read
        HttpResponse<String> r = post(edge, "/orders", body, "content-type", "text/plain");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(backend.last().method()).isEqualTo("POST");
        assertThat(backend.last().body().length()).isEqualTo(body.length());
        assertThat(backend.last().body().equals(body)).as("the same body").isTrue();
        assertThat(backend.last().headers().get("content-length")).isEqualTo(String.valueOf(body.length()));
    }

    @Test
    void aChunkedPostBodyArrivesIntact() {
        byte[] body = "chunk of an upload;".repeat(3_000).getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> r = EdgeTesting.send(request(edge.url() + "/upload")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
        assertThat(r.statusCode()).isEqualTo(200);
        EdgeTesting.assertSameBytes(backend.last().body().getBytes(StandardCharsets.US_ASCII), body);
    }

    /**
     * The edge speaks HTTP/1.1 only: an HTTP/2 client's h2c upgrade is declined (over HTTP/2 a body without
     * Content-Length has no Transfer-Encoding either, and would look like none).
     */
    @Test
    void aBodyWithoutLengthArrivesIntactFromAnHttp2Client() {
        byte[] body = "streamed without a length;".repeat(100).getBytes(StandardCharsets.US_ASCII);
        HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 2; i++) { // the first request upgrades, the second is HTTP/2 from the start
            HttpResponse<String> r = EdgeTesting.send(h2, request(edge.url() + "/upload-h2")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
            assertThat(r.statusCode()).isEqualTo(200);
            EdgeTesting.assertSameBytes(backend.last().body().getBytes(StandardCharsets.US_ASCII), body);
        }
    }

    @Test
    void aLargeChunkedResponseArrivesIntact() throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(request(edge.url() + "/big?bytes=" + TWO_MIB).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        EdgeTesting.assertSameBytes(r.body(), TestBackend.pattern(TWO_MIB).getBytes());
    }

    @Test
    void aLargeResponseWithContentLengthArrivesIntact() throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(request(edge.url() + "/big-length?bytes=" + TWO_MIB).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).hasValue(String.valueOf(TWO_MIB));
        EdgeTesting.assertSameBytes(r.body(), TestBackend.pattern(TWO_MIB).getBytes());
    }

    @Test
    void aLargeResponseEndedByClosingArrivesIntact() throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(request(edge.url() + "/close-delimited").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        EdgeTesting.assertSameBytes(r.body(), TestBackend.pattern(TWO_MIB).getBytes());
    }

    /** A backend dying mid-answer breaks the client's connection: a truncated body is never passed on as complete. */
    @Test
    void aTruncatedAnswerIsNotPassedOnAsComplete() {
        HttpRequest get = request(edge.url() + "/truncated").build();
        HttpResponse<byte[]> r;
        try {
            r = CLIENT.send(get, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return; // the client learns that the body is cut short
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        fail("status %d with %d bytes, passed on as a complete answer; the backend sent %d and died", r.statusCode(), r.body().length,
                0x10000 + 0x8000);
    }

    @Test
    void headHasHeadersAndNoBody() throws Exception {
        HttpResponse<String> r = EdgeTesting.send(request(edge.url() + "/head").method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("x-custom")).hasValue("from a");
        assertThat(backend.last().method()).isEqualTo("HEAD");
        // the connection stays usable: a body sent for HEAD would be read as the next response
        assertThat(get(edge, "/after-head").body()).isEqualTo("a");
    }

    @Test
    void headOfALargeAnswerHasItsLengthAndNoBody() {
        for (String path : List.of("/big-length?bytes=" + TWO_MIB, "/big?bytes=" + TWO_MIB)) {
            HttpResponse<String> r = EdgeTesting.send(request(edge.url() + path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            assertThat(r.body()).as(path).isEmpty();
            assertThat(get(edge, "/after-head").body()).as("the connection after HEAD " + path).isEqualTo("a");
        }
        HttpResponse<String> r = EdgeTesting.send(request(edge.url() + "/head-only")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-length")).as("the length a GET would have").hasValue(String.valueOf(TWO_MIB));
        assertThat(r.body()).isEmpty();
    }

    @Test
    void noContentAndNotModifiedPass() {
        HttpResponse<String> noContent = get(edge, "/status/204");
        assertThat(noContent.statusCode()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();
        HttpResponse<String> notModified = get(edge, "/status/304", "If-None-Match", "\"v1\"");
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(notModified.body()).isEmpty();
        assertThat(backend.last().headers().get("if-none-match")).isEqualTo("\"v1\"");
        assertThat(get(edge, "/after-304").body()).isEqualTo("a");
    }

    @Test
    void aBodyAfter100ContinueArrivesIntact() {
        HttpResponse<String> r = EdgeTesting.send(request(edge.url() + "/continue").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofString("sent after 100")).build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(backend.last().body()).isEqualTo("sent after 100");
        assertThat(backend.last().headers().names()).map(String::toLowerCase).doesNotContain("expect");
    }

    @Test
    void anHttp10ClientGetsAChunkedAnswerWithoutChunks() {
        int bytes = 100_000; // streamed, not read whole
        EdgeTesting.RawResponse r = raw(edge.port(), "GET /big?bytes=" + bytes + " HTTP/1.0\r\nHost: shop.test");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("transfer-encoding")).as("HTTP/1.0 has no chunked encoding").isNull();
        EdgeTesting.assertSameBytes(r.body(), TestBackend.pattern(bytes).getBytes());
    }
}
