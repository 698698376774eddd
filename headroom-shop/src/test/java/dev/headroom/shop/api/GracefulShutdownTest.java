package dev.headroom.shop.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.TestShops;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link Shop#close()} stops accepting at once, lets a request that is in flight finish, and returns
 * within the grace period. The request is made slow from outside the product: the test holds a row
 * lock on the user that a {@code PATCH} wants to update.
 */
class GracefulShutdownTest {
    private static final long USER = 42;

    @Test
    void closeStopsAcceptingAndFinishesTheRequestInFlight() throws Exception {
        TestShops.shop(Profile.OPTIMIZED); // the database migrated, seeded and at the optimized index set
        TestShops.stop();
        Map<String, Object> before = Api.userRow(USER);
        Shop shop = Shop.serve(TestShops.config(Profile.OPTIMIZED).shutdownGrace(Duration.ofSeconds(10)).build());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<Void> closing = null;
        try (Connection lock = Api.connect()) {
            assertThat(Api.get(shop, client, "/health/ready").statusCode()).isEqualTo(200);

            Api.lockUser(lock, USER);

            String name = "Shutdown Tester " + System.nanoTime();
            HttpRequest patch = HttpRequest.newBuilder(URI.create(shop.url() + "/users/" + USER))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\": \"" + name + "\"}")).build();
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(patch, HttpResponse.BodyHandlers.ofString());
            Api.awaitBlockedOnLock(lock);
            assertThat(inFlight).isNotDone();

            long closeStart = System.nanoTime();
            closing = CompletableFuture.runAsync(shop::close);
            Thread.sleep(300);

            assertThat(closing).as("close() waits for the request in flight").isNotDone();
            assertThat(inFlight).isNotDone();
            assertThat(newConnection(shop.port())).as("a new connection after close() began").isEqualTo("refused");

            lock.commit(); // the PATCH gets its row lock and finishes

            HttpResponse<String> done = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(done.statusCode()).as("%s", done.body()).isEqualTo(200);
            JsonNode user = Api.JSON.readTree(done.body());
            assertThat(user.get("id").asLong()).isEqualTo(USER);
            assertThat(user.get("name").asText()).isEqualTo(name);
            assertThat(Api.userRow(USER).get("name")).isEqualTo(name);

            closing.get(15, TimeUnit.SECONDS);
            long closedAfterMs = (System.nanoTime() - closeStart) / 1_000_000;
            assertThat(closedAfterMs).as("close() returned within the 10 s grace").isLessThan(10_000);
            assertThat(newConnection(shop.port())).isEqualTo("refused");
        } finally {
            shop.close();
            if (closing != null) {
                closing.get(30, TimeUnit.SECONDS);
            }
            client.close();
            Api.restoreUser(before);
        }
    }

    /** What a new connection gets: {@code refused}, {@code closed} (accepted, then closed unanswered), {@code silent} or {@code answered}. */
    private static String newConnection(int port) {
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (IOException e) {
                return "refused";
            }
            s.setSoTimeout(1_000);
            s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return s.getInputStream().read() >= 0 ? "answered" : "closed";
        } catch (java.net.SocketTimeoutException e) {
            return "silent";
        } catch (IOException e) {
            return "closed";
        }
    }
}
