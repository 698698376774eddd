package dev.headroom.edge.proxy;

import static dev.headroom.edge.proxy.EdgeTesting.config;
import static dev.headroom.edge.proxy.EdgeTesting.get;
import static dev.headroom.edge.proxy.EdgeTesting.names;
import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The algorithms as a client of the edge sees them, by which backend's name comes back. */
class BalancingTest {
    private static Vertx vertx;
    private TestBackend a;
    private TestBackend b;
    private TestBackend c;
    private EdgeServer edge;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @BeforeEach
    void startBackends() {
        a = TestBackend.start(vertx, "a");
        b = TestBackend.start(vertx, "b");
        c = TestBackend.start(vertx, "c");
    }

    @AfterEach
    void stop() {
        edge.close();
        a.close();
        b.close();
        c.close();
    }

    private void startEdge(Algorithm algorithm, HashKey key, List<Backend> backends) {
        edge = EdgeTesting.start(config().cluster(new ClusterSpec("shop", backends, algorithm, key, null, Duration.ZERO)));
    }

    private static Map<String, Long> counts(List<String> names) {
        return names.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void roundRobinAlternates() {
        startEdge(Algorithm.ROUND_ROBIN, null, List.of(a.backend(), b.backend()));
        List<String> seen = names(edge, 10);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("request %d after %s", i, seen).isNotEqualTo(seen.get(i - 1));
        }
        assertThat(counts(seen)).containsEntry("a", 5L).containsEntry("b", 5L);
    }

    @Test
    void weightedFollowsNginxsSmoothOrder() {
        startEdge(Algorithm.WEIGHTED, null, List.of(a.backend(5), b.backend(1), c.backend(1)));
        assertThat(names(edge, 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
        assertThat(counts(names(edge, 63))).containsEntry("a", 45L).containsEntry("b", 9L).containsEntry("c", 9L);
    }

    @Test
    void peakEwmaAvoidsTheSlowBackend() throws Exception {
        c.delayMillis.set(50);
        startEdge(Algorithm.PEAK_EWMA, null, List.of(a.backend(), b.backend(), c.backend()));
        List<String> seen = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            List<Future<List<String>>> each = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                each.add(clients.submit(() -> names(edge, 75)));
            }
            for (Future<List<String>> f : each) {
                seen.addAll(f.get());
            }
        }
        assertThat(seen).hasSize(300).allMatch(Set.of("a", "b", "c")::contains);
        assertThat(c.served()).as("the slow backend's share of 300: %s", counts(seen)).isLessThan(30);
        assertThat(a.served()).isGreaterThan(50);
        assertThat(b.served()).isGreaterThan(50);
    }

    @Test
    void ringHashSendsAKeyToTheSameBackend() {
        startEdge(Algorithm.RING_HASH, new HashKey.Header("X-User"), List.of(a.backend(), b.backend(), c.backend()));
        Set<String> used = new HashSet<>();
        for (int user = 0; user < 20; user++) {
            List<String> seen = names(edge, 3, "X-User", "user-" + user);
            assertThat(new HashSet<>(seen)).as("user-%d went to %s", user, seen).hasSize(1);
            used.add(seen.getFirst());
        }
        assertThat(used).as("20 keys spread over more than one backend").hasSizeGreaterThan(1);
    }

    @Test
    void maglevSendsACookiesValueToTheSameBackend() {
        startEdge(Algorithm.MAGLEV, new HashKey.CookieValue("session"), List.of(a.backend(), b.backend(), c.backend()));
        Set<String> used = new HashSet<>();
        for (int user = 0; user < 20; user++) {
            List<String> seen = names(edge, 3, "Cookie", "theme=dark; session=s" + user);
            assertThat(new HashSet<>(seen)).as("session s%d went to %s", user, seen).hasSize(1);
            used.add(seen.getFirst());
        }
        assertThat(used).hasSizeGreaterThan(1);
    }

    @Test
    void ringHashKeepsKeysOnTheirBackendWhenAnotherLeaves() {
        startEdge(Algorithm.RING_HASH, new HashKey.Header("X-User"), List.of(a.backend(), b.backend(), c.backend()));
        List<String> before = new ArrayList<>();
        for (int user = 0; user < 20; user++) {
            before.add(get(edge, "/", "X-User", "user-" + user).body());
        }
        assertThat(edge.remove("shop", "c")).isTrue();
        for (int user = 0; user < 20; user++) {
            String now = get(edge, "/", "X-User", "user-" + user).body();
            if (!before.get(user).equals("c")) {
                assertThat(now).as("user-%d stays where it was", user).isEqualTo(before.get(user));
            }
        }
    }
}
