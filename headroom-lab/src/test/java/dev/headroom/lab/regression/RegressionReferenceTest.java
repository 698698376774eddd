package dev.headroom.lab.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.lab.report.JsonReport;
import dev.headroom.lab.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored reference is what {@code headroom load --json} wrote, a gated result included; and the gate's JSON object. */
class RegressionReferenceTest {
    @TempDir
    Path dir;

    private final SplittableRandom random = new SplittableRandom(3);

    @Test
    void readsTheFiguresJsonReportWrote() throws Exception {
        RunResult r = SyntheticRuns.run("closed", 2.0, 0.2, 300, 4, random);
        Path file = dir.resolve("before.json");
        JsonReport.write(r, List.of(), file);
        StoredReference s = StoredReference.read(file);
        assertThat(s.model()).isEqualTo("closed");
        assertThat(s.targetRate()).isNaN();
        assertThat(s.connections()).isEqualTo(8);
        assertThat(s.p50Ms()).isEqualTo(r.corrected().getValueAtPercentile(50) / 1000.0);
        assertThat(s.p99Ms()).isEqualTo(r.corrected().getValueAtPercentile(99) / 1000.0);
        assertThat(s.requestRate()).isEqualTo(300);
        assertThat(s.durationSeconds()).isEqualTo(4);
    }

    @Test
    void aGatedResultCarriesItsComparisonAndCanBeAReferenceItself() throws Exception {
        RunResult t = SyntheticRuns.run("open", 2.4, 0.2, 300, 4, random);
        Comparison c = RegressionGate.stored("before.json", t, new StoredReference("x", "open", 300, 8, 2.0, 3.0, 300, 4), 0.10);
        Path file = dir.resolve("gated.json");
        RegressionReport.write(t, List.of(), c.json(), file);
        JsonNode g = new ObjectMapper().readTree(Files.readString(file)).get("regression");
        assertThat(g.get("valid").asBoolean()).isTrue();
        assertThat(g.get("regressed").asBoolean()).isTrue();
        assertThat(g.get("method").asText()).isEqualTo("stored");
        JsonNode p50 = g.get("figures").get("p50");
        assertThat(p50.get("reference").asDouble()).isEqualTo(2.0);
        assertThat(p50.get("threshold").asDouble()).isEqualTo(0.10);
        assertThat(p50.get("ci")).hasSize(2);
        assertThat(p50.get("regressed").asBoolean()).isTrue();
        assertThat(p50.get("outcome").asText()).isEqualTo("regressed");
        assertThat(g.get("figures").has("throughput")).isFalse();
        assertThat(StoredReference.read(file).model()).isEqualTo("open");
    }

    @Test
    void whatIsNotAResultIsRefusedWithItsReason() throws Exception {
        Path notJson = Files.writeString(dir.resolve("a.json"), "not json");
        assertThatThrownBy(() -> StoredReference.read(notJson)).hasMessageStartingWith("cannot read " + notJson + " as JSON: ");
        Path other = Files.writeString(dir.resolve("b.json"), "{\"name\": 1}");
        assertThatThrownBy(() -> StoredReference.read(other))
                .hasMessage(other + " has no model: not a result written by headroom load --json");
        RunResult r = SyntheticRuns.run("open", 2.0, 0.2, 100, 2, random);
        Path invalid = dir.resolve("invalid.json");
        JsonReport.write(SyntheticRuns.of("open", 100, 2, r.corrected(), r.intervals(), List.of("too late")), List.of(), invalid);
        assertThatThrownBy(() -> StoredReference.read(invalid))
                .hasMessage(invalid + " records an invalid run (valid is not true): it cannot be a reference");
    }
}
