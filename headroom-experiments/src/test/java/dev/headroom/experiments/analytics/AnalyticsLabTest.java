package dev.headroom.experiments.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.experiments.LabOutcome;
import dev.headroom.infra.browser.HeadlessChromium;
import dev.headroom.analytics.store.HistoricalQueries;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lab with {@code --quick}: a generator process, headless Chromium, DuckDB. The JSON contract's fields, the
 * report, and what does not depend on the machine's speed: every event sent accounted for, the replay exact, the
 * recompute equal to the stream's rollups, the pixels seen. The rates and latencies are a full run's to judge.
 */
class AnalyticsLabTest {
    @TempDir
    Path dir;

    @Test
    void theQuickLabWritesTheContractAndAccountsForEveryEvent() throws Exception {
        if (!HeadlessChromium.available() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(HeadlessChromium.missingMessage() + "; CI=true, so the lab's pixel check must run");
        }
        Path json = dir.resolve("analytics.json");
        Path html = dir.resolve("analytics.html");
        StringWriter printed = new StringWriter();
        LabOutcome<AnalyticsLabResult> outcome = AnalyticsLab.run(AnalyticsLabOptions.of(true, AnalyticsLabOptions.DEFAULT_SEED, Phase.all(),
                null, 2, 100_000L, json, html, dir.resolve("dashboard.png")), new PrintWriter(printed));

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        JsonNode ingest = r.get("ingest");
        assertThat(ingest.get("events_per_s").asDouble()).isPositive();
        assertThat(ingest.get("seconds").asDouble()).isPositive();
        assertThat(ingest.get("generator_cpu_share").asDouble()).isBetween(0.0, 1.0);
        assertThat(ingest.get("sent").asLong()).isEqualTo(ingest.get("counted").asLong() + ingest.get("late").asLong()
                + ingest.get("dropped").asLong()).isPositive();
        assertThat(ingest.has("valid")).isTrue();

        JsonNode freshness = r.get("freshness");
        assertThat(freshness.get("window_p50_ms").asDouble()).isPositive();
        assertThat(freshness.get("window_p99_ms").asDouble()).isGreaterThanOrEqualTo(freshness.get("window_p50_ms").asDouble());
        if (HeadlessChromium.available()) {
            assertThat(freshness.get("pixel_p99_ms").asDouble()).as("every probe was seen on the page").isPositive();
            assertThat(Files.size(dir.resolve("dashboard.png"))).as("the screenshot").isPositive();
        }

        JsonNode late = r.get("late");
        assertThat(late.get("late").asLong()).isPositive();
        assertThat(late.get("dropped").asLong()).isPositive();
        assertThat(late.get("mismatches").asLong()).isZero();
        assertThat(late.get("exact").asBoolean()).isTrue();

        JsonNode historical = r.get("historical");
        assertThat(historical.get("events").asLong()).isEqualTo(100_000);
        List<String> names = new ArrayList<>();
        for (JsonNode q : historical.get("queries")) {
            names.add(q.get("name").asText());
            assertThat(q.get("p50_ms").asDouble()).isPositive();
            assertThat(q.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(q.get("p50_ms").asDouble());
            assertThat(q.get("raw_p99_ms").asDouble()).isPositive();
        }
        assertThat(names).containsExactlyElementsOf(HistoricalQueries.NAMES);
        assertThat(historical.get("consistency").get("consistent").asBoolean()).isTrue();
        assertThat(historical.get("consistency").get("windows").asLong()).isPositive();

        assertThat(outcome.checks()).extracting(c -> c.name()).contains("every event accounted for", "late and out-of-order events as an exact replay",
                "batch recompute = real-time rollups");
        assertThat(printed.toString()).contains("Sustained ingest").contains("Freshness").contains("Late and out-of-order events")
                .contains("Historical queries").contains("wrote " + json);
        assertThat(Files.readString(html)).contains("<h2>Checks</h2>").contains("Historical queries").doesNotContain("NaN");
    }
}
