package dev.headroom.experiments.data;

import dev.headroom.experiments.LabOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole lab with {@code --quick} on real servers (a primary, 2 replicas, Redis): the JSON contract's fields and
 * the figures that do not depend on timing. Capacity and lag go either way on a busy CI machine, so the capacity
 * check and the count of violations without tokens are not asserted; 0 violations with tokens and no failed request
 * around a replica's kill are.
 */
class DataLabTest {
    @TempDir
    Path dir;

    @Test
    void theQuickLabWritesTheContractAndReadsItsWritesWithTokens() throws Exception {
        Path json = dir.resolve("data.json");
        Path html = dir.resolve("data.html");
        StringWriter printed = new StringWriter();
        LabOutcome<DataLabResult> outcome = DataLab.run(new DataLabOptions(true, DataLabOptions.DEFAULT_SEED, json, html), new PrintWriter(printed));

        JsonNode r = new ObjectMapper().readTree(json.toFile());
        assertThat(r.get("read_scaling")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(r.get("read_scaling").get(i).get("replicas").asInt()).isEqualTo(i);
            assertThat(r.get("read_scaling").get(i).get("capacity_rps").asDouble()).isPositive();
        }
        assertThat(r.get("read_scaling").get(0).get("ratio_to_none").asDouble()).isEqualTo(1.0);
        for (String replica : new String[] {"replica-1", "replica-2"}) {
            JsonNode lag = r.get("lag").get(replica);
            assertThat(lag.get("samples").asLong()).as(replica).isGreaterThan(50);
            assertThat(lag.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(lag.get("p50_ms").asDouble()).isGreaterThanOrEqualTo(0);
            assertThat(lag.get("p99_bytes").asLong()).isGreaterThanOrEqualTo(lag.get("p50_bytes").asLong()).isGreaterThanOrEqualTo(0);
        }
        JsonNode ryw = r.get("read_your_writes");
        assertThat(ryw.get("with_tokens").get("reads").asLong()).isPositive();
        assertThat(ryw.get("with_tokens").get("violations").asLong()).isZero();
        assertThat(ryw.get("without_tokens").get("reads").asLong()).isPositive();
        assertThat(ryw.get("without_tokens").has("violations")).isTrue();
        JsonNode kill = r.get("replica_kill");
        assertThat(kill.get("requests").asLong()).isPositive();
        assertThat(kill.get("errors").asLong()).isZero();
        assertThat(kill.get("failover_ms").asLong()).isBetween(0L, 5_000L);
        JsonNode freeze = r.get("replica_freeze");
        assertThat(freeze.get("requests").asLong()).isPositive();
        assertThat(freeze.get("ejected_ms").asLong()).isBetween(0L, 5_000L);
        assertThat(freeze.has("errors")).isTrue();
        assertThat(freeze.has("back_ms")).isTrue();

        assertThat(outcome.checks()).extracting(c -> c.name()).contains("read-your-writes: 0 violations with tokens", "replica kill: no failed request");
        assertThat(printed.toString()).contains("read scaling:").contains("lag:").contains("read-your-writes:").contains("replica kill:")
                .contains("replica freeze:").contains("PASS  read-your-writes: 0 violations with tokens");
        assertThat(Files.readString(html)).contains("<h2>Read scaling</h2>").contains("<h2>Read-your-writes</h2>").doesNotContain("<script src");
    }

    @Test
    void badOptionsAreRefusedWithTheFlag() {
        assertThatThrownBy(() -> new DataLabOptions(true, 1, dir.resolve("no/such/x.json"), null)).hasMessageStartingWith("--json: cannot write");
        assertThatThrownBy(() -> new DataLabOptions(true, 1, null, dir)).hasMessageStartingWith("--html: cannot write");
    }
}
