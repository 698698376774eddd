package dev.headroom.experiments.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.experiments.LabOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab with {@code --quick} on servers of its own: PostgreSQL and Redis each {@code kill -9}ed under load and
 * brought back by the supervisor. Asserted: the JSON contract's fields, that load ran through both faults, that the
 * supervisor ended each fault, and that no acknowledged order was lost. Latency and recovery times depend on the
 * machine and are not asserted here (the full lab checks recovery).
 */
class FaultsLabTest {
    @TempDir
    Path dir;

    @Test
    void theQuickLabKillsPostgresAndRedisHoldsSlowClientsAndLosesNoAcknowledgedOrder() throws Exception {
        Path json = dir.resolve("faults.json");
        Path html = dir.resolve("faults.html");
        StringWriter printed = new StringWriter();
        FaultsLabOptions quick = FaultsLabOptions.defaults(true);
        LabOutcome<FaultsLabResult> outcome = FaultsLab.run(new FaultsLabOptions(true, quick.faults(), quick.seed(), quick.rate(), quick.sloP99Ms(),
                json, html), new PrintWriter(printed));

        JsonNode faults = new ObjectMapper().readTree(json.toFile()).get("faults");
        assertThat(faults).as(printed.toString()).hasSize(3);
        assertThat(faults.get(0).get("name").asText()).isEqualTo("pg-kill");
        assertThat(faults.get(1).get("name").asText()).isEqualTo("redis-kill");
        assertThat(faults.get(2).get("name").asText()).isEqualTo("slow-clients");
        for (JsonNode f : faults) {
            String name = f.get("name").asText();
            for (String field : new String[] {"requests", "errors", "p99_during_ms", "recovery_ms", "acknowledged", "lost", "errors_by_kind",
                    "p99_before_ms", "p99_after_ms", "fault_ms"}) {
                assertThat(f.has(field)).as(name + " has " + field).isTrue();
            }
            assertThat(f.get("requests").asLong()).as(name).isPositive();
            assertThat(f.get("acknowledged").asLong()).as(name).isPositive();
            assertThat(f.get("lost").asLong()).as(name + "\n" + printed).isZero();
            assertThat(f.get("fault_ms").asLong()).as(name + ": the supervisor restarted it (or the attack stopped)\n" + printed).isBetween(0L, ProcessCrash.BUDGET.toMillis() + 5_000);
        }
        // PostgreSQL's restart takes hundreds of ms, time for tens of requests; Redis's can be shorter than the gap between two
        assertThat(faults.get(0).get("during").get("requests").asLong()).as("requests while PostgreSQL was down").isPositive();
        assertThat(outcome.checks()).hasSize(6);
        assertThat(Files.readString(html)).contains("pg-kill").contains("redis-kill").contains("slow-clients").contains("Checks");
        assertThat(printed.toString()).contains("primary (pid").contains("killed with SIGKILL")
                .contains("slow clients: 300 of 300 open").contains("slow clients stopped: at most 300 held at once");
    }
}
