package dev.headroom.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The config file: a valid one builds; every error is one line naming the file and the field. */
class ConfigFileTest {
    private static final String SHOP = "\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}}";

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("edge.json"), json);
    }

    @Test
    void aValidFileBuilds() throws IOException {
        Path file = write("""
                {
                  "listen":   {"host": "127.0.0.1", "port": 8080},
                  "admin":    {"port": 9901, "token": "change-me-please"},
                  "event_loops": 2,
                  "timeouts_ms": {"connect": 2000, "upstream": 60000, "client_idle": 60000},
                  "limits":   {"header_bytes": 8192, "body_bytes": 1048576},
                  "retries":  {"attempts": 3, "budget": "10%,min=1", "hedge": "p97,max=5%", "circuit_breaker": "50%,open=10s"},
                  "pool":     {"max_connections": 128, "max_pending": 1024, "idle_timeout_ms": 30000, "max_lifetime_ms": 600000},
                  "clusters": {
                    "shop":   {"lb": "peak-ewma", "hash_key": "path", "health_check": "/health/ready", "slow_start_ms": 10000,
                               "backends": [{"url": "http://127.0.0.1:8081", "weight": 2, "id": "node-1"},
                                            {"url": "http://127.0.0.1:8082"}]},
                    "api":    {"lb": "maglev", "hash_key": "header:X-User", "health_check": null, "slow_start_ms": 0,
                               "backends": [{"url": "http://127.0.0.1:9081"}]}
                  },
                  "routes":   [{"host": "shop.example.com", "path": "/", "cluster": "shop"}, {"path": "/api/", "cluster": "api"}]
                }
                """);
        EdgeConfig config = ConfigFile.read(file).build();
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.adminToken()).isEqualTo("change-me-please");
        assertThat(config.routes()).containsExactly(new Route("shop.example.com", "/", "shop"), new Route(null, "/api/", "api"));
        ClusterSpec shop = config.clusters().get("shop");
        assertThat(shop.algorithm()).isEqualTo(Algorithm.PEAK_EWMA);
        assertThat(shop.checkPath()).isEqualTo("/health/ready");
        assertThat(shop.slowStart()).isEqualTo(Duration.ofSeconds(10));
        assertThat(shop.backends()).containsExactly(new Backend("node-1", URI.create("http://127.0.0.1:8081"), 2),
                Backend.parse("http://127.0.0.1:8082"));
        ClusterSpec api = config.clusters().get("api");
        assertThat(api.hashKey()).isEqualTo(new HashKey.Header("X-User"));
        assertThat(api.checkPath()).as("null turns active checks off").isNull();
        assertThat(api.slowStart()).isZero();
        assertThat(new double[] {config.resilience.budgetRatio, config.resilience.hedgePercentile}).containsExactly(0.1, 0.97);
        assertThat(config.resilience.breakerFailureRate).isEqualTo(50);
    }

    @Test
    void anEdgeStartedFromAFileRoutesAsItSays() throws IOException {
        Vertx vertx = Vertx.vertx();
        try {
            TestBackend shop = TestBackend.start(vertx, "shop-1");
            TestBackend api = TestBackend.start(vertx, "api-1");
            Path file = write("""
                    {"admin": {"token": "%s"}, "event_loops": 1,
                     "clusters": {"shop": {"health_check": null, "slow_start_ms": 0, "backends": [{"url": "%s", "id": "shop-1"}]},
                                  "api":  {"health_check": null, "slow_start_ms": 0, "backends": [{"url": "%s", "id": "api-1"}]}},
                     "routes": [{"path": "/api/", "cluster": "api"}, {"path": "/", "cluster": "shop"}]}
                    """.formatted(EdgeTesting.TOKEN, shop.url(), api.url()));
            try (EdgeServer edge = EdgeServer.start(ConfigFile.read(file).port(0).build(), line -> { })) {
                assertThat(EdgeTesting.get(edge, "/api/orders").body()).isEqualTo("api-1");
                assertThat(EdgeTesting.get(edge, "/cart").body()).isEqualTo("shop-1");
                assertThat(EdgeTesting.admin(edge, "GET", "/admin/clusters", null).statusCode()).as("the file's token").isEqualTo(200);
            }
        } finally {
            vertx.close();
        }
    }

    @Test
    void aMinimalFileTakesTheDefaults() throws IOException {
        EdgeConfig config = ConfigFile.read(write("{" + SHOP + "}")).build();
        ClusterSpec shop = config.clusters().get("shop");
        assertThat(shop.algorithm()).isEqualTo(Algorithm.ROUND_ROBIN);
        assertThat(shop.checkPath()).isEqualTo(ClusterSpec.DEFAULT_CHECK_PATH);
        assertThat(config.routes()).containsExactly(new Route(null, "/", "shop"));
        assertThat(config.port()).isEqualTo(EdgeConfig.DEFAULT_PORT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"listn\": {}, SHOP}                                        | edge.json: listn: not a known field",
            "{\"listen\": {\"prot\": 1}, SHOP}                            | edge.json: listen.prot: not a known field",
            "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\", \"wieght\": 2}]}}} "
                    + "| edge.json: clusters.shop.backends[0].wieght: not a known field",
            "{\"clusters\": {\"shop\": {\"lb\": \"round-robin\", \"helth_check\": \"/\", \"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}}} "
                    + "| edge.json: clusters.shop.helth_check: not a known field",
            "{\"listen\": {\"port\": \"8080\"}, SHOP}                     | edge.json: listen.port: must be a whole number",
            "{\"listen\": {\"port\": 8080.5}, SHOP}                       | edge.json: listen.port: must be a whole number",
            "{\"listen\": {\"port\": 70000}, SHOP}                        | edge.json: listen.port: port must be between 0",
            "{\"listen\": \"127.0.0.1:8080\", SHOP}                       | edge.json: listen: must be an object",
            "{\"retries\": {\"attempts\": 0}, SHOP}                       | edge.json: retries.attempts: ",
            "{\"retries\": {\"budget\": \"lots\"}, SHOP}                    | edge.json: retries.budget: the retry budget must be PERCENT%",
            "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\", \"weight\": \"2\"}]}}} "
                    + "| edge.json: clusters.shop.backends[0].weight: must be a whole number",
            "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\", \"weight\": 0}]}}} "
                    + "| edge.json: clusters.shop.backends[0]: a backend's weight must be between 1 and 1000",
            "{\"clusters\": {\"shop\": {\"lb\": \"fastest\", \"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}}} "
                    + "| edge.json: clusters.shop.lb: the algorithm must be one of round-robin, ",
            "{\"clusters\": {\"shop\": {\"lb\": \"ring-hash\", \"hash_key\": \"body\", \"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}}} "
                    + "| edge.json: clusters.shop.hash_key: the hash key must be",
            "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"ftp://127.0.0.1:21\"}]}}} "
                    + "| edge.json: clusters.shop.backends[0].url: a backend's URL must look like http://",
            "{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1\"}]}}} "
                    + "| edge.json: clusters.shop.backends[0].url: a backend's URL must look like http://",
            "{\"clusters\": {\"shop\": {\"backends\": [{\"weight\": 1}]}}} | edge.json: clusters.shop.backends[0].url: a backend needs one",
            "{\"clusters\": {\"shop\": {\"backends\": []}}}                | edge.json: clusters.shop.backends: give at least one",
            "{\"clusters\": {}}                                           | edge.json: clusters: give at least one",
            "{}                                                           | edge.json: clusters: give at least one",
            "{SHOP, \"routes\": {\"path\": \"/\"}}                        | edge.json: routes: must be a list",
            "{SHOP, \"routes\": [{\"path\": \"shop\", \"cluster\": \"shop\"}]} | edge.json: routes[0]: a route's path prefix must start with '/'",
            "{SHOP, \"routes\": [{\"path\": \"/\", \"cluser\": \"shop\"}]} | edge.json: routes[0].cluser: not a known field",
            "{\"clusters\": {                                             | edge.json: not a JSON object: ",
            "[1]                                                           | edge.json: not a JSON object: ",
            "not json at all                                              | edge.json: not a JSON object: ",
    })
    void anErrorIsOneLineNamingTheFileAndTheField(String json, String message) throws IOException {
        Path file = write(json.strip().replace("SHOP", SHOP));
        assertThatThrownBy(() -> ConfigFile.read(file).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message.strip())
                .message().doesNotContain("\n");
    }

    /** A route to a missing cluster is the file's error, named with its field, not the builder's. */
    @Test
    void aRouteToAMissingClusterNamesTheFileAndTheField() throws IOException {
        Path file = write("{" + SHOP + ", \"routes\": [{\"path\": \"/\", \"cluster\": \"nope\"}]}");
        assertThatThrownBy(() -> ConfigFile.read(file).build()).hasMessageStartingWith("edge.json: routes[0].cluster: ")
                .hasMessageContaining("'nope'").message().doesNotContain("\n");
    }

    /** Several clusters without routes: the file and the field named. */
    @Test
    void severalClustersWithoutRoutesNameTheFileAndRoutes() throws IOException {
        Path file = write("{\"clusters\": {\"a\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}, "
                + "\"b\": {\"backends\": [{\"url\": \"http://127.0.0.1:8082\"}]}}}");
        assertThatThrownBy(() -> ConfigFile.read(file).build()).hasMessageStartingWith("edge.json: routes: ");
    }

    @Test
    void aMissingFileSaysSo() {
        assertThatThrownBy(() -> ConfigFile.read(dir.resolve("absent.json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot read the config file")
                .hasMessageContaining("absent.json");
    }

    @Test
    void twoBackendsWithOneIdAreRefused() throws IOException {
        Path file = write("{\"clusters\": {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\", \"id\": \"n\"}, "
                + "{\"url\": \"http://127.0.0.1:8082\", \"id\": \"n\"}]}}}");
        assertThatThrownBy(() -> ConfigFile.read(file)).hasMessage("edge.json: clusters.shop: cluster 'shop' has two backends with id 'n'");
    }
}
