package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code headroom plan}: the worked example line for line and field for field, the error budget, Little's law,
 * the instance rate measured by a demo (docs/examples/journey.json) and by the throughput lab (a hand-made file with
 * its best point above its USL fit's X_max), and bad input: exit code 2, one line, no JSON written.
 */
class PlanCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String[] WORKED_EXAMPLE = {"plan", "--users", "100000", "--requests-per-minute", "10", "--headroom", "2x",
            "--growth", "3x", "--instance-rps", "500", "--redundancy", "n+1", "--spare", "50%"};

    @TempDir
    Path dir;

    @Test
    void theWorkedExamplePrintsEachFormulaWithItsNumbers() {
        CliRun r = CliRun.of(WORKED_EXAMPLE);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).containsExactly(
                "rounding: rates kept exact; a req/s result shown rounded up, an operand to 2 decimals; counts rounded up",
                "peak      = users × requests/min / 60 = 100,000 × 10 / 60 = 16,667 req/s",
                "headroom  = peak × headroom factor = 16,666.67 × 2 = 33,334 req/s",
                "growth    = peak × growth factor = 16,666.67 × 3 = 50,000 req/s",
                "target    = max(headroom, growth) = max(33,334, 50,000) = 50,000 req/s",
                "instance  = --instance-rps = 500 req/s",
                "base      = ⌈target / instance rate⌉ = ⌈50,000 / 500⌉ = 100 instances",
                "redundant = base + 1 (n+1) = 100 + 1 = 101 instances",
                "spare     = ⌈base × (1 + spare)⌉ = ⌈100 × 1.5⌉ = 150 instances",
                "instances = max(redundant, spare) = max(101, 150) = 150");
    }

    @Test
    void theWorkedExamplesJsonCarriesTheContractFields() throws Exception {
        Path json = dir.resolve("plan.json");
        CliRun r = CliRun.of(with(WORKED_EXAMPLE, "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode plan = JSON.readTree(json.toFile());
        assertThat(plan.get("peak_rps").asLong()).isEqualTo(16_667);
        assertThat(plan.get("headroom_rps").asLong()).isEqualTo(33_334);
        assertThat(plan.get("growth_rps").asLong()).isEqualTo(50_000);
        assertThat(plan.get("target_rps").asLong()).isEqualTo(50_000);
        assertThat(plan.get("instances_base").asLong()).isEqualTo(100);
        assertThat(plan.get("instances_redundant").asLong()).isEqualTo(101);
        assertThat(plan.get("instances_with_spare").asLong()).isEqualTo(150);
        assertThat(plan.get("instances").asLong()).isEqualTo(150);
        assertThat(plan.get("instance_rps").asDouble()).isEqualTo(500);
        assertThat(plan.get("instance_rps_source").asText()).isEqualTo("--instance-rps");
        assertThat(plan.get("redundancy").asText()).isEqualTo("n+1");
        assertThat(plan.get("spare_percent").asDouble()).isEqualTo(50);
        assertThat(plan.get("pool_size").isNull()).isTrue();
        assertThat(plan.get("error_budget_minutes_per_month").isNull()).isTrue();
        assertThat(plan.get("warnings")).isEmpty();
    }

    @Test
    void aGivenPeakNeedsNoUsersAndTheRedundancyIsAFloorUnderTheSpare() {
        CliRun r = CliRun.of("plan", "--peak-rps", "999.5", "--instance-rps", "100", "--redundancy", "n+2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("peak      = --peak-rps = 1,000 req/s\n")
                .contains("base      = ⌈target / instance rate⌉ = ⌈999.5 / 100⌉ = 10 instances\n")
                .contains("redundant = base + 2 (n+2) = 10 + 2 = 12 instances\n")
                .contains("spare     = ⌈base × (1 + spare)⌉ = ⌈10 × 1⌉ = 10 instances\n")
                .contains("instances = max(redundant, spare) = max(12, 10) = 12\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "99.9%  | 0.1 %  | 43.8 min/month | 526.0 min/year = 8.8 h/year | 43.83",
            "99.95% | 0.05 % | 21.9 min/month | 263.0 min/year = 4.4 h/year | 21.915",
            "99.99% | 0.01 % | 4.4 min/month  | 52.6 min/year = 0.9 h/year  | 4.383",
    })
    void theErrorBudgetIsTheDowntimeOfAnAverageMonth(String availability, String downtime, String month, String year, double exact)
            throws Exception {
        Path json = dir.resolve("plan.json");
        CliRun r = CliRun.of("plan", "--peak-rps", "100", "--instance-rps", "100", "--availability", availability, "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String a = availability.replace("%", "");
        assertThat(r.out()).contains("budget    = (100 % - availability) × 43,830 min/month = (100 % - " + a + " %) × 43,830 = "
                        + downtime + " × 43,830 = " + month + "\n")
                .contains("per year  = " + downtime + " × 525,960 min/year = " + year + "\n");
        assertThat(JSON.readTree(json.toFile()).get("error_budget_minutes_per_month").asDouble()).isEqualTo(exact);
    }

    @Test
    void littlesLawSizesThePoolBesideTheRuleOfThumb() throws Exception {
        Path json = dir.resolve("plan.json");
        CliRun r = CliRun.of(with(WORKED_EXAMPLE, "--db-time-per-request", "20.5", "--cores", "8", "--spindles", "1", "--json", json.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pool      = ⌈instance rate × db time⌉ = ⌈500 req/s × 20.5 ms⌉ = ⌈10.25⌉ = 11 connections per instance (Little's law)\n")
                .contains("pool rule = cores × 2 + spindles = 8 × 2 + 1 = 17 connections (rule of thumb, with the database's cores)\n")
                .contains("all pools = instances × pool = 150 × 11 = 1,650 connections to the database\n");
        JsonNode plan = JSON.readTree(json.toFile());
        assertThat(plan.get("pool_size").asInt()).isEqualTo(11); // 500/s × 0.0205 s = 10.25 in use on average
        assertThat(plan.get("pool_rule_of_thumb").asInt()).isEqualTo(17);
        assertThat(plan.get("db_ms_per_request").asDouble()).isEqualTo(20.5);
    }

    @Test
    void coresWithoutADatabaseTimeGiveTheRuleOfThumbAlone() {
        CliRun r = CliRun.of("plan", "--peak-rps", "100", "--instance-rps", "100", "--cores", "2", "--spindles", "0");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pool rule = cores × 2 + spindles = 2 × 2 + 0 = 4 connections (rule of thumb").doesNotContain("Little's law");
    }

    @Test
    void aDemoJsonGivesItsLastStepsThroughputPerNodeAndItsDatabaseTime() throws Exception {
        Path json = dir.resolve("plan.json");
        CliRun r = CliRun.of("plan", "--peak-rps", "1000", "--from", resource("journey.json"), "--cores", "2", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        // l2: throughput_rps 407.445 over settings.nodes 2; db_ms_per_request 0.12753155430722163
        assertThat(r.out()).contains("instance  = throughput of step l2 / nodes = 407.45 / 2 = 203.72 req/s "
                        + "(demo journey.json; at p99<100ms: 203.72 req/s)\n")
                .contains("base      = ⌈target / instance rate⌉ = ⌈1,000 / 203.72⌉ = 5 instances\n")
                .contains("pool      = ⌈instance rate × db time⌉ = ⌈203.72 req/s × 0.127532 ms⌉ = ⌈0.03⌉ = 1 connection per instance "
                        + "(Little's law; db time: db_ms_per_request of step l2)\n")
                .doesNotContain("warning");
        JsonNode plan = JSON.readTree(json.toFile());
        assertThat(plan.get("instance_rps").asDouble()).isEqualTo(203.7225);
        assertThat(plan.get("instance_rps_source").asText()).endsWith("journey.json step l2 (throughput_rps 407.445 / 2 nodes)");
        assertThat(plan.get("instances").asInt()).isEqualTo(5);
    }

    @Test
    void stepPicksAnotherDemoStep() {
        CliRun r = CliRun.of("plan", "--peak-rps", "1000", "--from", resource("journey.json"), "--step", "pool",
                "--db-time-per-request", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("instance  = throughput of step pool / nodes = 585.12 / 2 = 292.56 req/s")
                .contains("⌈292.56 req/s × 2 ms⌉ = ⌈0.59⌉ = 1 connection per instance (Little's law)\n");
    }

    @Test
    void aThroughputJsonGivesTheBestPointAndWarnsPastXMax() throws Exception {
        Path json = dir.resolve("plan.json");
        String[] args = with(WORKED_EXAMPLE, "--json", json.toString());
        List<String> a = new ArrayList<>(List.of(args));
        int i = a.indexOf("--instance-rps");
        a.set(i, "--from");
        a.set(i + 1, resource("throughput.json"));
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("instance  = best measured throughput = 380.7 req/s at concurrency 32 (lab throughput throughput.json)\n")
                .contains("usl       = X_max = 353.3 req/s at N* = 34.8 (fit: σ = 0.03, κ = 0.0008, λ = 30 req/s)\n")
                .contains("base      = ⌈target / instance rate⌉ = ⌈50,000 / 380.7⌉ = 132 instances\n")
                .contains("instances = max(redundant, spare) = max(133, 198) = 198\n")
                .contains("warning: target / base = 378.79 req/s on each of 132 base instances is past the USL fit's X_max of 353.3 req/s "
                        + "for one instance: by the fit, no concurrency sustains it; re-plan with --instance-rps 353.3 or less\n");
        JsonNode plan = JSON.readTree(json.toFile());
        assertThat(plan.get("instance_rps").asDouble()).isEqualTo(380.7);
        assertThat(plan.get("x_max_rps").asDouble()).isEqualTo(353.3);
        assertThat(plan.get("warnings")).hasSize(1);
    }

    @Test
    void aThroughputJsonWithHeadroomUnderXMaxDoesNotWarn() throws Exception {
        Path file = dir.resolve("fit.json");
        Files.writeString(file, """
                {"points": [{"concurrency": 8, "throughput_rps": 400, "p50_ms": 20, "p99_ms": 40, "server_inflight": 8}],
                 "sigma": 0.01, "kappa": 0, "lambda": 52, "sigma_ci": [0, 0.02], "kappa_ci": [0, 0], "lambda_ci": [50, 54],
                 "n_star": null, "x_max": 5200, "bound": null, "constrained": true}""");
        CliRun r = CliRun.of("plan", "--peak-rps", "1000", "--from", file.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("X_max = 5,200 req/s at N* = none (κ = 0)").doesNotContain("warning");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--users 100000 --instance-rps 500                        | --users needs --requests-per-minute N (or give --peak-rps R instead)",
            "--requests-per-minute 10 --instance-rps 500              | --requests-per-minute needs --users N (or give --peak-rps R instead)",
            "--instance-rps 500                                       | give the demand: --users N and --requests-per-minute N, or --peak-rps R",
            "--peak-rps 10 --users 5 --instance-rps 500               | --peak-rps replaces --users and --requests-per-minute; give one or the other",
            "--users 0 --requests-per-minute 10 --instance-rps 500    | --users must be a whole number of at least 1, was '0'",
            "--users 1.5 --requests-per-minute 10 --instance-rps 500  | --users must be a whole number of at least 1, was '1.5'",
            "--users 10 --requests-per-minute -1 --instance-rps 500   | --requests-per-minute must be a number above 0, was '-1'",
            "--peak-rps lots --instance-rps 500                       | --peak-rps must be a number above 0, was 'lots'",
            "--peak-rps 10                                            | give the instance rate: --instance-rps R, or --from FILE (a demo or throughput-lab JSON)",
            "--peak-rps 10 --instance-rps 0                           | --instance-rps must be a number above 0, was '0'",
            "--peak-rps 10 --instance-rps 1e3                         | --instance-rps must be a number above 0, was '1e3'",
            "--peak-rps 10 --instance-rps 5 --headroom 0.5x           | --headroom must be a factor of at least 1, like 2x, was '0.5x'",
            "--peak-rps 10 --instance-rps 5 --headroom 200%           | --headroom must be a factor of at least 1, like 2x, was '200%'",
            "--peak-rps 10 --instance-rps 5 --growth 3y               | --growth must be a factor of at least 1, like 2x, was '3y'",
            "--peak-rps 10 --instance-rps 5 --spare 0.5               | --spare must be a percentage of at least 0, like 50%, was '0.5'",
            "--peak-rps 10 --instance-rps 5 --spare -5%               | --spare must be a percentage of at least 0, like 50%, was '-5%'",
            "--peak-rps 10 --instance-rps 5 --redundancy n+3          | --redundancy must be none, n+1 or n+2, was 'n+3'",
            "--peak-rps 10 --instance-rps 5 --availability 100%       | --availability must be a percentage above 0 and below 100, like 99.9%, was '100%'",
            "--peak-rps 10 --instance-rps 5 --availability 99.9       | --availability must be a percentage above 0 and below 100, like 99.9%, was '99.9'",
            "--peak-rps 10 --instance-rps 5 --db-time-per-request 0   | --db-time-per-request must be a number above 0, was '0'",
            "--peak-rps 10 --instance-rps 5 --cores 0                 | --cores must be a whole number of at least 1, was '0'",
            "--peak-rps 10 --instance-rps 5 --spindles -1             | --spindles must be a whole number of at least 0, was '-1'",
            "--peak-rps 10 --instance-rps 5 --cores 3000000000        | --cores must be a whole number of at most 100000, was '3000000000'",
            "--peak-rps 10 --instance-rps 5 --step l2                 | --step picks a step of a demo JSON; give it with --from FILE",
            "--peak-rps 10 --instance-rps 5 --from DIR/none.json      | --from measures the instance rate that --instance-rps gives; give one or the other",
            "--peak-rps 10 --from DIR/none.json                       | --from: cannot read DIR/none.json (no such file)",
            "--peak-rps 10 --from DIR/garbled.json                    | --from: DIR/garbled.json is not JSON (Unexpected character...",
            "--peak-rps 10 --from DIR/other.json                      | --from: DIR/other.json is neither a demo JSON (headroom demo --json: 'steps' and 'settings') nor a throughput-lab JSON (headroom lab throughput --json: 'points')",
            "--peak-rps 10 --from DIR/nopoints.json                   | --from: the throughput-lab JSON DIR/nopoints.json has no point with a throughput above 0",
            "--peak-rps 10 --from DIR/badpoint.json                   | --from: every point in DIR/badpoint.json must have numbers concurrency and throughput_rps",
            "--peak-rps 10 --from DIR/badfit.json                     | --from: x_max must be a number or null, was \"high\"",
            "--peak-rps 10 --from DIR/throughput.json --step l2       | --step picks a step of a demo JSON; DIR/throughput.json is a throughput-lab JSON",
            "--peak-rps 10 --from DIR/journey.json --step l3          | --step must be one of the steps in DIR/journey.json: baseline, indexes, single-query, pool, http, l1, l2; was 'l3'",
            "--peak-rps 10 --from DIR/journey.json --step baseline    | --from: step baseline in DIR/journey.json sustained no rate (throughput_rps 0.0); pick another with --step",
            "--peak-rps 10 --from DIR/nonodes.json                    | --from: the demo JSON DIR/nonodes.json must give settings.nodes, a whole number of at least 1",
            "--peak-rps 10 --instance-rps 5 --json DIR/missing/p.json | --json: cannot write DIR/missing/p.json (the folder must exist and be writable)",
    })
    void badInputExitsWithTwoOneLineAndWritesNothing(String flags, String message) throws Exception {
        Files.writeString(dir.resolve("garbled.json"), "{not json");
        Files.writeString(dir.resolve("other.json"), "{\"hello\": 1}");
        Files.writeString(dir.resolve("nopoints.json"), "{\"points\": []}");
        Files.writeString(dir.resolve("badpoint.json"), "{\"points\": [{\"concurrency\": 1}]}");
        Files.writeString(dir.resolve("badfit.json"), "{\"points\": [{\"concurrency\": 1, \"throughput_rps\": 5}], \"x_max\": \"high\"}");
        Files.writeString(dir.resolve("nonodes.json"), "{\"steps\": [{\"name\": \"l2\", \"throughput_rps\": 5}], \"settings\": {}}");
        Files.copy(Path.of(resource("throughput.json")), dir.resolve("throughput.json"));
        // the baseline's capacity_rps is 0, but its throughput_rps is not: make a copy where it sustained nothing
        Files.writeString(dir.resolve("journey.json"), Files.readString(Path.of(resource("journey.json")))
                .replaceFirst("\"throughput_rps\" : 12.6", "\"throughput_rps\" : 0.0"));
        Path json = dir.resolve("out.json");
        List<String> args = new ArrayList<>(List.of("plan"));
        args.addAll(List.of(flags.replace("DIR", dir.toString()).trim().split("\\s+")));
        if (!args.contains("--json")) {
            args.addAll(List.of("--json", json.toString()));
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(Headroom.USAGE);
        String expected = "headroom: " + message.replace("DIR", dir.toString());
        if (expected.endsWith("...")) { // the rest is the JSON parser's own words
            assertThat(r.err().strip()).startsWith(expected.substring(0, expected.length() - 3)).doesNotContain("\n");
        } else {
            assertThat(r.err().strip()).isEqualTo(expected);
        }
        assertThat(r.out()).isEmpty();
        assertThat(json).doesNotExist();
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    @Test
    void helpShowsTheFormulasTheRoundingRuleAndTheWorkedExample() {
        CliRun r = CliRun.of("plan", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("Rounding: rates are carried exactly")
                .contains("headroom plan --users 100000 --requests-per-minute 10 \\\n                --headroom 2x --growth 3x --instance-rps 500 \\\n")
                .contains("instances = max(redundant, spare) = max(101, 150) = 150");
        for (String flag : new String[] {"--users", "--requests-per-minute", "--peak-rps", "--headroom", "--growth", "--instance-rps",
                "--from", "--step", "--redundancy", "--spare", "--db-time-per-request", "--cores", "--spindles", "--availability", "--json"}) {
            assertThat(r.out()).contains(flag);
        }
    }

    private static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(PlanCommandTest.class.getResource("/plan/" + name), name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
