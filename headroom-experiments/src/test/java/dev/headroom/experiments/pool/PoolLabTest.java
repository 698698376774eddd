package dev.headroom.experiments.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.shop.ShopConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lab, small and short, on a real PostgreSQL one hop away: pool sizes 1 and 8 and the formula's (5 on 2
 * cores), one round. What it reports is checked for shape and for what does not depend on the machine's speed:
 * nothing here is a timed assertion.
 */
class PoolLabTest {
    @TempDir
    Path dir;

    @Test
    void aShortSweepWritesTheWholeReport() throws Exception {
        Path json = dir.resolve("pool.json");
        Path html = dir.resolve("pool.html");
        PoolLabOptions options = new PoolLabOptions(List.of(1, 8), 32, Duration.ofMillis(1), 1, Duration.ofSeconds(1), Duration.ofSeconds(2),
                PoolLabOptions.DEFAULT_LOAD_SHARE, PoolLabOptions.DEFAULT_SLO_P99_MS, 1000, 42, json, html);
        StringWriter printed = new StringWriter();
        PoolLabResult result = PoolLab.run(options, new PrintWriter(printed));

        assertThat(printed.toString()).contains("database: one hop away").contains("pool 1, closed model:").contains("pool 8, open model")
                .contains("measured optimum:").contains("formula:").contains("Little's law:").contains("wrote " + json).contains("wrote " + html);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode points = root.path("points");
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> sizes = PoolLab.withFormula(List.of(1, 8), ShopConfig.formulaPoolSize(cores, 1), 32);
        assertThat(points).hasSize(sizes.size());
        assertThat(root.path("settings").path("sizes").toString()).isEqualTo(sizes.toString().replace(" ", ""));
        for (JsonNode p : points) {
            for (String field : new String[] {"pool_size", "throughput_rps", "throughput_by_round", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms",
                    "pool_wait_mean_ms", "pool_wait_p99_ms", "pending_max", "hold_mean_ms", "busy_connections", "open_p50_ms", "open_p99_ms",
                    "open_achieved_rps", "open_pool_wait_p99_ms", "open_schedule_lag_p99_ms", "errors"}) {
                assertThat(p.has(field)).as(field + " in " + p).isTrue();
            }
            assertThat(p.path("throughput_rps").asDouble()).as(p.toString()).isPositive();
            assertThat(p.path("errors").asLong()).as(p.toString()).isZero();
            // Every request holds a connection for at least the hop's round trip to PostgreSQL.
            assertThat(p.path("hold_mean_ms").asDouble()).as(p.toString()).isGreaterThan(0.9);
            // Little's law on the pool: no more connections are busy on average than the pool has.
            assertThat(p.path("busy_connections").asDouble()).as(p.toString()).isPositive().isLessThanOrEqualTo(p.path("pool_size").asDouble() + 0.05);
        }
        JsonNode one = points.get(0);
        JsonNode eight = points.get(sizes.indexOf(8));
        assertThat(one.path("pool_size").asInt()).isEqualTo(1);
        // 32 connections on one pooled connection: 31 requests wait at once, each about 31 hold times.
        assertThat(one.path("pending_max").asDouble()).isGreaterThan(eight.path("pending_max").asDouble()).isGreaterThan(8);
        assertThat(one.path("pool_wait_mean_ms").asDouble()).isGreaterThan(eight.path("pool_wait_mean_ms").asDouble());
        assertThat(one.path("pool_wait_p99_ms").asDouble()).isGreaterThan(eight.path("pool_wait_p99_ms").asDouble());
        // Eight connections through a 1 ms hop carry more than one does (not a speed claim: one is capped near 1 / 1 ms).
        assertThat(eight.path("throughput_rps").asDouble()).isGreaterThan(one.path("throughput_rps").asDouble());
        assertThat(eight.path("open_p99_ms").isNumber()).as("pool 8 carries half the best throughput: its open run ran").isTrue();

        JsonNode formula = root.path("formula");
        assertThat(formula.path("cores").asInt()).isEqualTo(cores);
        assertThat(formula.path("pool_size").asInt()).isEqualTo(ShopConfig.formulaPoolSize(cores, 1));
        if (sizes.contains(formula.path("pool_size").asInt())) { // added to the sweep, so measured
            assertThat(formula.path("throughput_rps").asDouble()).isPositive();
            assertThat(formula.path("share_of_best").asDouble()).isPositive().isLessThanOrEqualTo(1.0);
        }
        JsonNode little = root.path("littles_law");
        assertThat(little.path("hold_at_pool_size").asInt()).isEqualTo(1);
        assertThat(little.path("pool_size").asInt()).isEqualTo((int) Math.ceil(little.path("connections").asDouble() - 1e-9)).isPositive();
        assertThat(little.path("connections").asDouble())
                .isCloseTo(little.path("throughput_rps").asDouble() * little.path("hold_ms").asDouble() / 1000, org.assertj.core.data.Offset.offset(1e-6));
        JsonNode optimum = root.path("optimum");
        assertThat(optimum.path("pool_size").asInt()).isIn(1, 8);
        assertThat(optimum.path("best_rps").asDouble()).isEqualTo(Math.max(one.path("throughput_rps").asDouble(), eight.path("throughput_rps").asDouble()));
        assertThat(root.path("settings").path("db_rtt_ms").asDouble()).isEqualTo(1.0);
        assertThat(root.path("settings").path("switches").asText()).isEqualTo("indexes,single-query,pool,http");
        assertThat(root.path("settings").path("open_rate_rps").asDouble()).isPositive();

        String page = Files.readString(html);
        assertThat(page).contains("<canvas id=\"throughput\">").contains("<canvas id=\"latency\">").contains("Chart.js v4")
                .doesNotContain("/*RESULT*/").doesNotContain("/*CHARTJS*/").doesNotContain("/*STYLE*/").contains(".muted{").doesNotContain("<script src=");
    }
}
