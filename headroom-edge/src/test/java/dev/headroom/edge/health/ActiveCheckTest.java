package dev.headroom.edge.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Active checks against real JDK HTTP servers, checked every 50 ms; the asserts poll up to a deadline. */
class ActiveCheckTest {
    private final Balancer balancer = Balancer.builder(Algorithm.ROUND_ROBIN).build();
    private final List<Backend> backends = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private EndpointHealth health;

    /** A server whose /health/ready answers {@link #status} after {@link #delayMillis}, counting what it served. */
    static final class Backend {
        final AtomicInteger status = new AtomicInteger(200);
        final AtomicInteger delayMillis = new AtomicInteger();
        final AtomicInteger served503 = new AtomicInteger();
        final AtomicInteger served200 = new AtomicInteger();
        final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        final HttpServer server;
        final Endpoint endpoint;

        Backend(String id) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/health/ready", exchange -> {
                try {
                    Thread.sleep(delayMillis.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int s = status.get();
                (s == 503 ? served503 : served200).incrementAndGet(); // before the answer, which the checker may act on at once
                exchange.sendResponseHeaders(s, -1);
                exchange.close();
            });
            server.setExecutor(executor);
            server.start();
            endpoint = new Endpoint(id, 1);
        }

        URI base() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void stop() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void start(int n) throws IOException {
        health = EndpointHealth.builder(balancer).checkInterval(Duration.ofMillis(50)).checkTimeout(Duration.ofMillis(200))
                .listener(events::add).build();
        for (int i = 1; i <= n; i++) {
            Backend b = new Backend("node-" + i);
            backends.add(b);
            health.add(b.endpoint, b.base());
        }
    }

    @AfterEach
    void stop() {
        health.close();
        backends.forEach(Backend::stop);
    }

    /** Polls {@code condition} every 10 ms until it holds, failing after 5 s. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void anEndpointAnswering503LeavesAfterTwoChecksAndReturnsAfterTwo200s() throws Exception {
        start(3);
        Backend b = backends.get(1);
        await("first checks passed", () -> b.served200.get() >= 1);
        b.status.set(503);
        await("node-2 out of the balancer's set", () -> !balancer.endpoints().contains(b.endpoint));
        assertThat(b.served503.get()).isGreaterThanOrEqualTo(2);
        assertThat(balancer.endpoints()).hasSize(2);
        assertThat(health.status().get(1).state()).isEqualTo(EndpointHealth.State.UNHEALTHY);

        int okBefore = b.served200.get();
        b.status.set(200);
        await("node-2 back in the balancer's set", () -> balancer.endpoints().contains(b.endpoint));
        assertThat(b.served200.get() - okBefore).isGreaterThanOrEqualTo(2);
        assertThat(events).containsSubsequence("node-2 unhealthy: 2 checks failed, the last with status 503", "node-2 healthy: 2 checks passed");
    }

    @Test
    void aStoppedBackendIsRemoved() throws Exception {
        start(3);
        Backend b = backends.get(2);
        b.stop();
        await("node-3 out of the balancer's set", () -> !balancer.endpoints().contains(b.endpoint));
        assertThat(balancer.endpoints()).containsExactly(backends.get(0).endpoint, backends.get(1).endpoint);
        assertThat(events).anySatisfy(e -> assertThat(e).startsWith("node-3 unhealthy: 2 checks failed, the last with connect failed"));
    }

    @Test
    void aCheckWithoutAnAnswerInTimeFails() throws Exception {
        start(3);
        Backend b = backends.get(0);
        b.delayMillis.set(1_000);
        await("node-1 out of the balancer's set", () -> !balancer.endpoints().contains(b.endpoint));
        assertThat(events).contains("node-1 unhealthy: 2 checks failed, the last with no answer within 200 ms");
        b.delayMillis.set(0);
        await("node-1 back in the balancer's set", () -> balancer.endpoints().contains(b.endpoint));
    }
}
