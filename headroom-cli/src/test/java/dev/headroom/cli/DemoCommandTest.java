package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code headroom demo}: bad flags fail at once with one line and create nothing; and a small-data smoke run of
 * three steps (the two ends and the pool between them) on real servers and shop JVMs reports what the contract
 * promises. Every set of switches answering alike is ProfileEquivalenceTest's; the full-size journey is the demo's
 * own job, not CI's.
 */
class DemoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> STEPS = List.of("baseline", "pool", "l2", "edge", "replicas");
    static final List<String> KINDS = List.of("browse", "search", "user-orders", "order", "checkout");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--slo fast                  | --slo: slo 'fast': unknown metric 'fast'",
            "--steps nope                | --steps: no step named 'nope'; the steps are baseline, indexes, single-query, pool, http, l1, l2, edge",
            "--steps indexes             | --steps: without the baseline step, give the offered rate (--rate)",
            "--steps pool --rate -3      | --rate: the offered rate must be above 0",
            "--users 0                   | --users/--products/--orders: users must be at least 1, was 0",
            "--timings 1s,2s             | --timings: give five durations",
            "--json /no/such/dir/x.json  | --json: cannot write /no/such/dir/x.json",
            "--rate abc                  | Invalid value for option '--rate': 'abc' is not a double",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        Path data = dir.resolve("data");
        String[] args = ("demo --data-dir " + data + " " + flags.trim()).split("\\s+");
        CliRun r = CliRun.of(args);
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(data).doesNotExist();
    }

    @Test
    void aSmallJourneyMeasuresItsStepsAndReportsTheContract() throws Exception {
        Path json = dir.resolve("journey.json");
        Path html = dir.resolve("journey.html");
        CliRun r = CliRun.of("demo", "--data-dir", dir.resolve("data").toString(), "--users", "500", "--products", "100",
                "--orders", "3000", "--steps", String.join(",", STEPS), "--timings", "300ms,1500ms,500ms,200ms,700ms",
                "--json", json.toString(), "--html", html.toString());

        JsonNode result = JSON.readTree(json.toFile());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(result.get("valid").asBoolean() ? 0 : Headroom.FAILED);
        assertThat(result.get("offered_rate").asDouble()).isPositive();
        assertThat(result.get("slo").asText()).isEqualTo("p99<100ms");
        List<String> names = new ArrayList<>();
        result.get("steps").forEach(s -> names.add(s.get("name").asText()));
        assertThat(names).isEqualTo(STEPS);
        for (JsonNode step : result.get("steps")) {
            String name = step.get("name").asText();
            for (String field : List.of("switches", "valid", "samples", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "throughput_rps",
                    "capacity_rps", "statements_per_request", "db_ms_per_request", "bottleneck", "by_kind")) {
                assertThat(step.has(field)).as("%s has %s", name, field).isTrue();
            }
            assertThat(step.get("samples").asLong()).as(name).isPositive();
            assertThat(step.get("throughput_rps").asDouble()).as(name).isPositive();
            assertThat(step.get("p999_ms").isNull()).as("%s: p99.9 needs 10,000 samples", name).isTrue();
            assertThat(step.get("bottleneck").asText()).as(name).isNotBlank();
            List<String> kinds = new ArrayList<>();
            step.get("by_kind").fieldNames().forEachRemaining(kinds::add);
            assertThat(kinds).as(name).containsExactlyInAnyOrderElementsOf(KINDS);
            step.get("by_kind").forEach(k -> assertThat(k.has("samples") && k.has("p50_ms") && k.has("p99_ms")).isTrue());
        }
        JsonNode baseline = result.get("steps").get(0);
        JsonNode last = result.get("steps").get(STEPS.size() - 1);
        assertThat(baseline.get("switches").asText()).isEqualTo("none");
        assertThat(last.get("switches").asText()).isEqualTo("indexes,single-query,pool,http,replicas,cache=l1+l2");
        assertThat(baseline.get("cache_hit_ratio").isNull()).isTrue();
        assertThat(last.get("cache_hit_ratio").asDouble()).isPositive();
        // fewer statements per request once order reads are one statement and reads hit the cache
        assertThat(last.get("statements_per_request").asDouble()).isLessThan(baseline.get("statements_per_request").asDouble());
        assertThat(Files.readString(html)).contains("<canvas id=\"latency\">").contains("\"offered_rate\"").doesNotContain("/*RESULT*/").doesNotContain("/*STYLE*/");
        assertThat(r.out()).contains("step 4/5 edge").contains("step 5/5 replicas").contains("replica replica-2 ").contains("re-run one step alone:").contains("./headroom demo --steps edge --rate ");
    }
}
