package dev.headroom.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class IngestServerBuilderTest {
    @Test
    void settingsAreCheckedWhenSet() {
        assertThatThrownBy(() -> IngestServer.builder().tcpPort(70_000))
                .hasMessage("tcpPort must be 0 (any free port) to 65535, was 70000");
        assertThatThrownBy(() -> IngestServer.builder().httpPort(-1))
                .hasMessage("httpPort must be 0 (any free port) to 65535, was -1");
        assertThatThrownBy(() -> IngestServer.builder().maxBodyBytes(0)).hasMessage("maxBodyBytes must be at least 1, was 0");
        assertThatThrownBy(() -> IngestServer.builder().batchSize(0)).hasMessage("batchSize must be 1..65535 events, was 0");
        assertThatThrownBy(() -> IngestServer.builder().host(" ")).hasMessage("host must be an address or a name, was  ");
        assertThatThrownBy(() -> IngestServer.builder().build())
                .hasMessage("an ingest server needs a sink: call sink(..) before build()");
        assertThatThrownBy(() -> IngestServer.builder().maxBufferedBytes(0)).hasMessage("maxBufferedBytes must be at least 1, was 0");
        assertThatThrownBy(() -> IngestServer.builder().sink(TestSink.counting()).maxBodyBytes(2048).maxBufferedBytes(1024).build())
                .hasMessage("maxBufferedBytes (1024) must be at least maxBodyBytes (2048): else no body of the largest size could ever be taken");
    }

    @Test
    void theEventsHandlerMountsOnAnotherRouterWithoutStartingTheServer() throws Exception {
        TestSink sink = TestSink.counting();
        IngestServer ingest = IngestServer.builder().sink(sink).build();
        Vertx vertx = Vertx.vertx();
        try (HttpClient client = HttpClient.newHttpClient()) {
            Router router = Router.router(vertx);
            router.post("/events").handler(ingest.eventsHandler());
            int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();

            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"page_view\",\"time\":1,\"user\":2}\n")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(sink.events()).isEqualTo(1);
            assertThat(ingest.stats().events()).isEqualTo(1);
        } finally {
            vertx.close().await();
        }
    }
}
