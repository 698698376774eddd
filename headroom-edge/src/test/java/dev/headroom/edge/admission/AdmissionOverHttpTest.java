package dev.headroom.edge.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The controller and bulkheads on a real Vert.x event loop, over real HTTP: {@code /search} holds its permit for
 * 2 s (a slow search), {@code /checkout} answers at once. A flood of slow searches fills the search bulkhead and the
 * rest of them are refused at once, while checkouts keep being served before any search finishes.
 */
class AdmissionOverHttpTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(5, TimeUnit.SECONDS);
    }

    @Test
    void slowSearchesFillingTheirBulkheadDoNotBlockCheckout() throws Exception {
        AdmissionController controller = AdmissionController.builder().initialLimit(10).minLimit(10).maxLimit(10).maxQueue(0).build();
        Bulkhead search = new Bulkhead("search", 4);
        Bulkhead checkout = new Bulkhead("checkout", 10);
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            boolean slow = req.path().equals("/search");
            Bulkhead bulkhead = slow ? search : checkout;
            if (!bulkhead.tryEnter()) {
                req.response().setStatusCode(503).putHeader("Retry-After", "1").end();
                return;
            }
            controller.acquire(slow ? Priority.SHEDDABLE : Priority.CRITICAL).thenAccept(a -> {
                if (a instanceof Permit p) {
                    vertx.setTimer(slow ? 2000 : 1, t -> answer(req, p, bulkhead));
                } else {
                    bulkhead.leave();
                    req.response().setStatusCode(503).putHeader("Retry-After", "1").end();
                }
            });
        }).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
        String base = "http://127.0.0.1:" + server.actualPort();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        List<CompletableFuture<HttpResponse<Void>>> searches = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            searches.add(client.sendAsync(get(base + "/search"), HttpResponse.BodyHandlers.discarding()));
        }
        for (int i = 0; i < 5; i++) {
            HttpResponse<Void> r = client.send(get(base + "/checkout"), HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        long refused = searches.stream().filter(CompletableFuture::isDone).filter(f -> f.join().statusCode() == 503).count();
        assertThat(searches.stream().filter(CompletableFuture::isDone).count())
                .as("the five checkouts were served while four searches still ran; only refused searches have answered")
                .isEqualTo(refused);
        CompletableFuture.allOf(searches.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(searches.stream().filter(f -> f.join().statusCode() == 200).count()).as("the bulkhead's four").isEqualTo(4);
        assertThat(search.rejected()).isEqualTo(8);
        assertThat(controller.admitted(Priority.CRITICAL)).isEqualTo(5);
    }

    private static void answer(HttpServerRequest req, Permit permit, Bulkhead bulkhead) {
        permit.complete();
        bulkhead.leave();
        req.response().end("ok");
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build();
    }
}
