package dev.headroom.experiments.overload;

import dev.headroom.experiments.LabOutcome;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lab with {@code --quick} on real servers: the JSON contract's fields, the report, and the figures that
 * do not depend on timing. The ratios the checks compare (goodput, amplification, p99s, admitted rates, work past the
 * deadline) are a full run's business: a quick run on a busy CI machine is too short for them, so only their being
 * measured is asserted here, and that the mechanisms acted (fewer upstream tries with the budget, less work past the
 * deadline with it). Shedding is not: the quick capacity search stops after three short probes, below the node's
 * real capacity, so "2x" may not overload it.
 */
class OverloadLabTest {
    @TempDir
    Path dir;

    @Test
    void theQuickLabWritesTheContractWithEveryMechanismAtWork() throws Exception {
        Path json = dir.resolve("overload.json");
        Path html = dir.resolve("overload.html");
        StringWriter printed = new StringWriter();
        LabOutcome<OverloadLabResult> outcome = OverloadLab.run(new OverloadLabOptions(true, OverloadLabOptions.DEFAULT_SEED, Experiment.all(), json, html),
                new PrintWriter(printed));

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        JsonNode overload = r.get("overload");
        assertThat(overload.get("capacity_rps").asDouble()).isPositive();
        for (String side : new String[] {"with", "without"}) {
            assertThat(overload.get(side).has("goodput_rps")).as(side).isTrue();
            assertThat(overload.get(side).has("p99_ms")).as(side).isTrue();
            assertThat(overload.get(side).get("shed_share").asDouble()).as(side).isBetween(0.0, 1.0);
        }

        JsonNode storm = r.get("retry_storm");
        assertThat(storm.get("naive_amplification").asDouble()).isGreaterThan(1.0);
        assertThat(storm.get("budget_amplification").asDouble()).isGreaterThanOrEqualTo(1.0)
                .isLessThan(storm.get("naive_amplification").asDouble());

        JsonNode hedging = r.get("hedging");
        assertThat(hedging.get("p99_ms_hedged").asDouble()).isPositive();
        assertThat(hedging.get("p99_ms_unhedged").asDouble()).isPositive();
        // a 2 s run may be too short for the adaptive delay to settle and send hedges (HedgingTest shows them sent and cancelled)
        assertThat(hedging.get("extra_requests_share").asDouble()).isBetween(0.0, 1.0);

        assertThat(r.get("bulkhead").get("checkout_p99_ms_with").asDouble()).isPositive();
        assertThat(r.get("bulkhead").get("checkout_p99_ms_without").asDouble()).isPositive();

        JsonNode limit = r.get("rate_limit");
        assertThat(limit.get("configured_rps").asDouble()).isPositive();
        assertThat(limit.get("local_admitted_rps").asDouble()).isPositive();
        assertThat(limit.get("global_admitted_rps").asDouble()).isPositive();

        JsonNode deadlines = r.get("deadlines");
        assertThat(deadlines.get("wasted_ms_without").asDouble()).as("without propagation work runs past the deadline").isPositive();
        assertThat(deadlines.get("wasted_ms_with").asDouble()).isLessThan(deadlines.get("wasted_ms_without").asDouble());

        assertThat(outcome.checks()).hasSize(8); // two for overload, two for rate limits, one each for the rest
        assertThat(printed.toString()).contains("Overload at 2x capacity").contains("Retry storm").contains("Tail: hedged GETs")
                .contains("Noisy neighbour").contains("Rate-limit accuracy").contains("Deadlines").contains("wrote " + json);
        assertThat(Files.readString(html)).contains("<h2>Checks</h2>").contains("Rate-limit accuracy").doesNotContain("NaN");
    }
}
