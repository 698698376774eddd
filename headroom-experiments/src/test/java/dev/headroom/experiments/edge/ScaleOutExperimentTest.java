package dev.headroom.experiments.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.experiments.ProgressLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scale-out with 1 and 2 I/O-bound nodes and probes of a second: the shape of what it reports, not its speed
 * (a CI machine's cores are shared). The USL fit needs three counts, so it is checked on made-up points.
 */
class ScaleOutExperimentTest {
    @Test
    void oneAndTwoNodesEachGetACapacity() throws Exception {
        StringWriter printed = new StringWriter();
        ScaleOutExperiment.Settings settings = ScaleOutExperiment.Settings.defaults().withNodeCounts(List.of(1, 2))
                .withProbes(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1), 1);

        ScaleOutExperiment.Result r = ScaleOutExperiment.run(settings, ProgressLog.to(new PrintWriter(printed)));

        assertThat(printed.toString()).contains("database: one hop away").contains("1 node:").contains("2 nodes:").contains("probe ");
        assertThat(r.points()).as(printed.toString()).extracting(EdgeLabResult.ScaleOutPoint::nodes).containsExactly(1, 2);
        for (EdgeLabResult.ScaleOutPoint p : r.points()) {
            assertThat(p.capacityRps()).as(printed.toString()).isPositive();
            assertThat(p.p99Ms()).isPositive().isLessThanOrEqualTo(settings.sloP99Ms());
        }
        // two nodes start their search where one ended (the structure; what they reach depends on the machine's load)
        String twoNodes = printed.toString().substring(printed.toString().indexOf("2 nodes:"));
        assertThat(twoNodes).contains(String.format("probe %.0f/s:", r.points().get(0).capacityRps()));
        assertThat(r.fit()).isNull();
    }

    @Test
    void theFitReadsTheLawOffThePoints() {
        // X(N) = 1000 N / (1 + 0.05 (N - 1) + 0.01 N (N - 1))
        List<EdgeLabResult.ScaleOutPoint> points = java.util.stream.IntStream.rangeClosed(1, 4)
                .mapToObj(n -> new EdgeLabResult.ScaleOutPoint(n, 1000.0 * n / (1 + 0.05 * (n - 1) + 0.01 * n * (n - 1)), 10)).toList();

        EdgeLabResult.ScaleFit fit = ScaleOutExperiment.fit(points);

        assertThat(fit.sigma()).isCloseTo(0.05, within(1e-3));
        assertThat(fit.kappa()).isCloseTo(0.01, within(1e-4));
        assertThat(fit.lambda()).isCloseTo(1000, within(1.0));
        assertThat(fit.peakNodes()).isCloseTo(Math.sqrt(0.95 / 0.01), within(0.1));
        assertThat(fit.bound()).isEqualTo("coherency");
        assertThat(fit.rSquared()).isCloseTo(1, within(1e-6));
        assertThat(ScaleOutExperiment.fit(points.subList(0, 2))).isNull();
    }
}
