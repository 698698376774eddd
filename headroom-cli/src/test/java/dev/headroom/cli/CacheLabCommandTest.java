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
 * {@code headroom lab cache}: bad flags fail at once with one line and exit code 2; a short run on real
 * PostgreSQL and Redis writes every field the JSON contract names.
 */
class CacheLabCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--products 10                 | --products must be between 1000 and 100000000, was 10",
            "--zipf 0                      | --zipf must be in (0, 10], was 0.0",
            "--write-share 1               | --write-share must be at least 0 and below 1, was 1.0",
            "--l1-share 0                  | --l1-share must be above 0 and below 1, was 0.0",
            "--load 1.5                    | --load must be above 0 and below 1, was 1.5",
            "--warmup soon                 | --warmup:",
            "--duration 500ms              | --warmup and --duration must be at least 1s",
            "--outage 2s                   | --outage must be at least 5s, was 2s",
            "--configs none,l3             | --configs: cache must be one of none, l1, l2, l1+l2, l1+l2-no-coalescing, lru, was 'l3'",
            "--rounds 0                    | --rounds must be between 1 and 9, was 0",
            "--json /no/such/folder/x.json | --json: cannot write /no/such/folder/x.json",
            "--seed x                      | Invalid value for option '--seed': 'x' is not a long",
    })
    void badFlagsExitWithTwoAndOneLine(String flags, String message) {
        List<String> args = new ArrayList<>(List.of("lab", "cache"));
        args.addAll(List.of(flags.trim().split("\\s+")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        assertThat(r.err().strip()).startsWith("headroom: ").contains(message).doesNotContain("\n");
        assertThat(r.out()).doesNotContain("postgres");
    }

    @Test
    void labWithoutAnExperimentListsThem() {
        CliRun r = CliRun.of("lab");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: headroom lab").contains("cache");
    }

    @Test
    void helpNamesEveryFlag() {
        CliRun r = CliRun.of("lab", "cache", "--help");
        assertThat(r.code()).isZero();
        for (String flag : new String[] {"--products", "--zipf", "--write-share", "--l1-share", "--load", "--warmup", "--duration",
                "--configs", "--rounds", "--outage", "--seed", "--json", "--html"}) {
            assertThat(r.out()).contains(flag);
        }
        assertThat(r.err()).isEmpty(); // picocli warns there about unescaped format characters
    }

    /** A small, short run of two configurations: what it reports is checked for shape and for the properties that do not depend on timing. */
    @Test
    void aShortRunWritesTheWholeReport() throws Exception {
        Path json = dir.resolve("lab.json");
        Path html = dir.resolve("lab.html");
        CliRun r = CliRun.of("lab", "cache", "--products", "2000", "--configs", "none,l1,l1+l2", "--warmup", "1s", "--duration", "2s",
                "--outage", "5s", "--json", json.toString(), "--html", html.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(0, Headroom.FAILED); // latency checks may go either way on a busy CI machine
        assertThat(r.out()).contains("PASS").contains("stampede");

        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode configurations = root.path("configurations");
        assertThat(configurations).hasSize(3);
        for (JsonNode c : configurations) {
            for (String field : new String[] {"name", "hit_ratio_l1", "hit_ratio_l2", "hit_ratio", "p50_ms", "p99_ms", "db_queries_per_s", "heap_bytes"}) {
                assertThat(c.has(field)).as(field).isTrue();
            }
            assertThat(c.path("errors").asLong()).as(c.toString()).isZero();
        }
        JsonNode none = configurations.get(0);
        JsonNode l1 = configurations.get(1);
        JsonNode cached = configurations.get(2);
        assertThat(none.path("name").asText()).isEqualTo("none");
        assertThat(none.path("hit_ratio").asDouble()).isZero();
        assertThat(none.path("hit_ratio_l1").isNull()).isTrue();
        // The policy replaying the trace cannot beat the optimum on that trace. The live L1 can, by a hair: an
        // invalidation reaches it a little after the write the trace records, and a read in between hits.
        assertThat(l1.path("name").asText()).isEqualTo("l1");
        double optimal = l1.path("optimal_hit_ratio").asDouble();
        assertThat(l1.path("replay_hit_ratio").asDouble()).isPositive().isLessThanOrEqualTo(optimal);
        assertThat(l1.path("hit_ratio").asDouble()).isPositive().isLessThanOrEqualTo(optimal + 0.02);
        assertThat(none.path("optimal_hit_ratio").isNull()).isTrue();
        assertThat(cached.path("name").asText()).isEqualTo("l1+l2");
        assertThat(cached.path("hit_ratio").asDouble()).isGreaterThan(0.9); // L2 was warmed with every product
        assertThat(cached.path("db_queries_per_s").asDouble()).isLessThan(none.path("db_queries_per_s").asDouble());

        assertThat(root.path("stampede").path("requests").asInt()).isEqualTo(1000);
        assertThat(root.path("stampede").path("db_loads").asLong()).isEqualTo(1);
        assertThat(root.path("stampede").path("db_loads_without_coalescing").asLong()).isGreaterThan(1);
        assertThat(root.path("outage").path("requests").asLong()).isPositive();
        assertThat(root.path("outage").path("errors").asLong()).isZero();
        assertThat(Files.readString(html)).contains("<h1>Headroom cache lab</h1>").contains("l1+l2").contains("Stampede");
    }
}
