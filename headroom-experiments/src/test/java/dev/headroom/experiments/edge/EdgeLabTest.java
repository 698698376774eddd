package dev.headroom.experiments.edge;

import dev.headroom.experiments.LabOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.experiments.ProgressLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both experiments, one round each and a second or so per run, on real nginx (and HAProxy where installed): the
 * result's shape and the properties that do not depend on timing. Latency checks may go either way on a busy CI
 * machine, so passed() is not asserted.
 */
class EdgeLabTest {
    @TempDir
    Path dir;

    @Test
    void theSlowNodeExperimentReportsEveryAlgorithmWithSharesThatAddUp() throws Exception {
        requireNginx();
        Path json = dir.resolve("edge.json");
        Path html = dir.resolve("edge.html");
        StringWriter printed = new StringWriter();
        EdgeLabOptions options = options(Set.of(Experiment.SLOW_NODE), 100, json, html);
        PrintWriter out = new PrintWriter(printed);
        EdgeLab.Details details = EdgeLab.measure(options, ProgressLog.to(out));
        LabOutcome<EdgeLabResult> outcome = EdgeLab.report(options, details, System.nanoTime(), out);

        EdgeLabResult r = outcome.result();
        assertThat(r.proxyCost()).isNull();
        assertThat(r.failover()).isNull();
        assertThat(r.scaleOut()).isNull();
        assertThat(r.slowNode()).containsOnlyKeys("round-robin", "random", "least-request", "peak-ewma");
        r.slowNode().values().forEach(s -> {
            assertThat(s.rounds()).isEqualTo(1);
            assertThat(s.offeredRps()).isEqualTo(100);
            assertThat(s.p99Ms()).isPositive().isGreaterThanOrEqualTo(s.p50Ms());
            assertThat(s.slowShare()).isBetween(0.0, 1.0);
        });
        // round robin sends every third try to the slow node, whatever the timing
        assertThat(r.slowNode().get("round-robin").slowShare()).isCloseTo(1 / 3.0, within(0.05));
        for (SlowNodeExperiment.Figures f : details.slowNode().algorithms()) {
            for (SlowNodeExperiment.Round round : f.rounds()) {
                assertThat(round.shares()).containsOnlyKeys("fast-1", "fast-2", "slow");
                assertThat(round.shares().values().stream().mapToDouble(Double::doubleValue).sum()).as(f.algorithm()).isCloseTo(1.0, within(1e-9));
                assertThat(round.tries()).as(f.algorithm()).isGreaterThan(50);
            }
        }
        assertThat(printed.toString()).contains("slow node: 3 backends").contains("peak-ewma").contains("slow node: peak-ewma sends <= 1 %");

        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertThat(written.get("slow_node").get("peak-ewma").has("slow_share")).isTrue();
        assertThat(written.get("proxy_cost").isNull()).isTrue();
        assertThat(Files.readString(html)).contains("<h2>Slow node</h2>").contains("peak-ewma");
    }

    @Test
    void theProxyCostExperimentMeasuresEveryTarget() throws Exception {
        requireNginx();
        StringWriter printed = new StringWriter();
        LabOutcome<EdgeLabResult> outcome = EdgeLab.run(options(Set.of(Experiment.PROXY_COST), EdgeLabOptions.DEFAULT_SLOW_RATE, null, null),
                new PrintWriter(printed));

        EdgeLabResult.ProxyCost p = outcome.result().proxyCost();
        assertThat(outcome.result().slowNode()).isNull();
        assertThat(p.headroomRps()).isPositive();
        assertThat(p.nginxRps()).isPositive();
        assertThat(p.directRps()).isPositive();
        assertThat(p.haproxyRps() != null).isEqualTo(Haproxy.binary().isPresent());
        assertThat(p.haproxyAddedP99Ms() != null).isEqualTo(Haproxy.binary().isPresent());
        assertThat(p.ratioVsNginx()).isCloseTo(p.headroomRps() / p.nginxRps(), within(1e-9));
        double slowest = Math.min(p.headroomRps(), Math.min(p.nginxRps(), p.haproxyRps() == null ? Double.MAX_VALUE : p.haproxyRps()));
        assertThat(p.offeredRps()).isCloseTo(ProxyCostExperiment.LOAD_SHARE * slowest, within(1e-6));
        assertThat(p.rounds()).isEqualTo(1);
        assertThat(printed.toString()).contains("proxy cost: maximum rate").contains("round 1 headroom").contains("round 1 direct")
                .contains("proxy cost: Headroom's max rate >= 0.9x nginx's");
    }

    @Test
    void experimentsAreParsedInTheirOrderAndUnknownOnesRefusedByName() {
        assertThatThrownBy(() -> Experiment.parseList("proxy-cost,bogus")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the experiments must be among proxy-cost, slow-node, failover, scale-out, was 'bogus'");
        assertThat(Experiment.parseList(" slow-node , proxy-cost")).containsExactly(Experiment.PROXY_COST, Experiment.SLOW_NODE);
        assertThat(Experiment.all()).containsExactly(Experiment.PROXY_COST, Experiment.SLOW_NODE, Experiment.FAILOVER, Experiment.SCALE_OUT);
    }

    @Test
    void badOptionsAreRefusedWithTheFlagAndTheValue() {
        assertThatThrownBy(() -> new EdgeLabOptions(Experiment.all(), 0, Duration.ofSeconds(1), Duration.ZERO, 300, 1, null, null))
                .hasMessage("--rounds must be between 1 and 50, was 0");
        assertThatThrownBy(() -> new EdgeLabOptions(Experiment.all(), 1, Duration.ofMillis(100), Duration.ZERO, 300, 1, null, null))
                .hasMessage("--duration must be between 500ms and 10m, was PT0.1S");
        assertThatThrownBy(() -> new EdgeLabOptions(Experiment.all(), 1, Duration.ofSeconds(1), Duration.ZERO, 5, 1, null, null))
                .hasMessage("--rate must be between 10 and 20000 requests/s, was 5.0");
        assertThatThrownBy(() -> new EdgeLabOptions(Set.of(), 1, Duration.ofSeconds(1), Duration.ZERO, 300, 1, null, null))
                .hasMessage("--experiments must name at least one experiment");
        assertThatThrownBy(() -> new EdgeLabOptions(Experiment.all(), 1, Duration.ofSeconds(1), Duration.ZERO, 300, 1, dir.resolve("no/such/x.json"), null))
                .hasMessageStartingWith("--json: cannot write");
    }

    @Test
    void cpuListsAreReadAsTasksetPrintsThem() {
        assertThat(CpuPinning.cpus("0,1")).containsExactly(0, 1);
        assertThat(CpuPinning.cpus("0-3")).containsExactly(0, 1, 2, 3);
        assertThat(CpuPinning.cpus("0,2-3")).containsExactly(0, 2, 3);
    }

    /** One round, a second measured per run, no warm-up: a smoke test, not a measurement. */
    private static EdgeLabOptions options(Set<Experiment> experiments, double rate, Path json, Path html) {
        return new EdgeLabOptions(experiments, 1, Duration.ofSeconds(1), Duration.ZERO, rate, EdgeLabOptions.DEFAULT_SEED, json, html);
    }

    /** nginx is the backend of both experiments: without it a CI run fails (never skips silently); elsewhere the test is skipped, saying why. */
    private static void requireNginx() {
        if (Binaries.find("nginx").isPresent()) {
            return;
        }
        if (EdgeLab.ci()) {
            throw new AssertionError("nginx not found on the PATH, and CI=true: the edge lab's tests need it (apt-get install nginx-light)");
        }
        Assumptions.abort("nginx not found on the PATH (apt-get install nginx-light); skipped outside CI");
    }
}
