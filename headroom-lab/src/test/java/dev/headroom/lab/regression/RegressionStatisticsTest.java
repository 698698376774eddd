package dev.headroom.lab.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.lab.run.RunResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The gate's statistics on made-up runs, where the truth is known. */
class RegressionStatisticsTest {

    @Test
    void pooledFiguresAreThoseOfTheMergedHistogram() {
        SplittableRandom random = new SplittableRandom(7);
        List<Sample> units = new ArrayList<>();
        Histogram merged = new Histogram(3_600_000_000L, 3);
        int[] weights = {0, 2, 1, 3, 1};
        for (int u = 0; u < weights.length; u++) {
            Histogram h = new Histogram(3_600_000_000L, 3);
            int n = 1 + random.nextInt(3000);
            for (int i = 0; i < n; i++) {
                h.recordValue(1 + (long) (random.nextDouble() * random.nextDouble() * 50_000));
            }
            units.add(Sample.of(h, n, 2.0));
            for (int k = 0; k < weights[u]; k++) {
                merged.add(h);
            }
        }
        double[] out = new double[Pool.FIGURES];
        new Pool(units).figures(weights, out);
        assertThat(out[Pool.P50]).isEqualTo(merged.getValueAtPercentile(50) / 1000.0);
        assertThat(out[Pool.P99]).isEqualTo(merged.getValueAtPercentile(99) / 1000.0);
        assertThat(out[Pool.THROUGHPUT]).isCloseTo(merged.getTotalCount() / (2.0 * Arrays.stream(weights).sum()), within(1e-9));
    }

    @Test
    void theExpandedIntervalWidensForFewUnits() {
        // Φ(−√(6/5) · 2.5706) = Φ(−2.816)
        assertThat(Bootstrap.expandedTail(6)).isCloseTo(0.00243, within(0.00002));
        assertThat(Bootstrap.expandedTail(2)).isLessThan(1e-9);
        assertThat(Bootstrap.expandedTail(1000)).isCloseTo(0.025, within(0.0005));
        assertThat(Bootstrap.t975(31)).isCloseTo(2.0395, within(0.0005));
        assertThat(Bootstrap.t975(120)).isCloseTo(1.9799, within(0.0005));
        assertThat(Bootstrap.normalCdf(1.959964)).isCloseTo(0.975, within(1e-6));
        assertThat(Bootstrap.blockLength(30)).isEqualTo(3);
        assertThat(Bootstrap.blockLength(1)).isEqualTo(1);
    }

    /** Six rounds whose machine drifts by up to ±15 % from round to round, alike for both sides, with sampling noise on top. */
    private static List<List<RunResult>> rounds(String model, double targetFactor, double targetRateFactor, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] drift = {1.00, 1.15, 0.88, 1.07, 0.93, 1.12};
        List<RunResult> target = new ArrayList<>();
        List<RunResult> reference = new ArrayList<>();
        for (double d : drift) {
            target.add(SyntheticRuns.run(model, 2.0 * d * targetFactor, 0.25, 400 / d * targetRateFactor, 3, random));
            reference.add(SyntheticRuns.run(model, 2.0 * d, 0.25, 400 / d, 3, random));
        }
        return List.of(target, reference);
    }

    @Test
    void driftSharedByARoundCancelsAndAnAaComparisonPasses() {
        List<List<RunResult>> r = rounds("open", 1.0, 1.0, 1);
        Comparison c = RegressionGate.interleaved("http://ref", r.get(0), r.get(1), 0.10);
        assertThat(c.regressed()).as(c.lines().toString()).isFalse();
        assertThat(c.changes()).extracting(ch -> ch.figure()).containsExactly(Figure.P50, Figure.P99);
        Change p50 = c.changes().getFirst();
        assertThat(p50.outcome()).isEqualTo(Change.Outcome.WITHIN);
        // ±15 % of drift between rounds, yet the paired interval stays a few percent wide
        assertThat(p50.low()).isBetween(-0.05, 0.0);
        assertThat(p50.high()).isBetween(0.0, 0.05);
        assertThat(c.lines().getFirst()).startsWith("ok: p50 ").endsWith(" within 10%");
    }

    @Test
    void aTwentyPercentSlowerTargetIsARegressionOfBothPercentiles() {
        List<List<RunResult>> r = rounds("open", 1.2, 1.0, 2);
        Comparison c = RegressionGate.interleaved("http://ref", r.get(0), r.get(1), 0.10);
        assertThat(c.regressed()).isTrue();
        assertThat(c.changes()).allSatisfy(ch -> {
            assertThat(ch.regressed()).as(ch.line()).isTrue();
            assertThat(ch.change()).isCloseTo(0.2, within(0.04));
            assertThat(ch.low()).isGreaterThan(0.10);
        });
        assertThat(c.lines().getFirst()).matches("regression: p50 \\+\\d+% \\(\\d\\.\\d+ → \\d\\.\\d+ ms, 95% CI \\+\\d+\\.\\.\\+\\d+%\\) exceeds 10%");
    }

    @Test
    void aChangeTheNoiseCannotResolveIsNotShown() {
        // +10 % against a 10 % threshold: the interval straddles it
        List<List<RunResult>> r = rounds("open", 1.10, 1.0, 3);
        Comparison c = RegressionGate.interleaved("http://ref", r.get(0), r.get(1), 0.10);
        assertThat(c.changes().getFirst().outcome()).as(c.lines().toString()).isEqualTo(Change.Outcome.NOT_SHOWN);
        assertThat(c.lines().getFirst()).startsWith("ok: p50 +").endsWith(" not shown to exceed 10%");
    }

    @Test
    void theClosedModelComparesThroughputToo() {
        List<List<RunResult>> r = rounds("closed", 1.0, 0.75, 4);
        Comparison c = RegressionGate.interleaved("http://ref", r.get(0), r.get(1), 0.10);
        assertThat(c.changes()).extracting(Change::figure).containsExactly(Figure.P50, Figure.P99, Figure.THROUGHPUT);
        Change throughput = c.changes().get(2);
        assertThat(throughput.regressed()).as(throughput.line()).isTrue();
        assertThat(throughput.change()).isCloseTo(-0.25, within(0.01));
        assertThat(throughput.line()).matches("regression: throughput -25% \\(\\d+ → \\d+ req/s, 95% CI -\\d+\\.\\.-\\d+%\\) exceeds 10%");
        assertThat(c.changes().get(0).regressed()).isFalse();
    }

    @Test
    void theSameRunsGiveTheSameVerdict() {
        List<List<RunResult>> r = rounds("open", 1.05, 1.0, 5);
        assertThat(RegressionGate.interleaved("x", r.get(0), r.get(1), 0.10).lines())
                .isEqualTo(RegressionGate.interleaved("x", r.get(0), r.get(1), 0.10).lines());
    }

    @Test
    void aStoredReferenceIsComparedWithTheTargetsSeconds() {
        SplittableRandom random = new SplittableRandom(6);
        RunResult target = SyntheticRuns.run("open", 2.4, 0.25, 400, 20, random);
        StoredReference slower = new StoredReference("http://old", "open", 400, 8, 2.0, 3.6, 400, 20);
        Comparison c = RegressionGate.stored("before.json", target, slower, 0.10);
        assertThat(c.method()).isEqualTo("stored");
        assertThat(c.units()).isEqualTo(20);
        assertThat(c.resampling()).isEqualTo("moving blocks of 3 s");
        Change p50 = c.changes().getFirst();
        assertThat(p50.reference()).isEqualTo(2.0);
        assertThat(p50.regressed()).as(p50.line()).isTrue();
        StoredReference same = new StoredReference("http://old", "open", 400, 8, target.corrected().getValueAtPercentile(50) / 1000.0,
                target.corrected().getValueAtPercentile(99) / 1000.0, 400, 20);
        Comparison aa = RegressionGate.stored("before.json", target, same, 0.10);
        assertThat(aa.regressed()).isFalse();
        assertThat(aa.changes().getFirst().change()).isZero();
    }

    @Test
    void linesHaveOneFixedForm() {
        assertThat(Change.of(Figure.P99, 14.9, 12.1, 0.15, 0.31, 0.10).line())
                .isEqualTo("regression: p99 +23% (12.1 → 14.9 ms, 95% CI +15..+31%) exceeds 10%");
        assertThat(Change.of(Figure.P50, 2.04, 2.0, -0.03, 0.06, 0.10).line())
                .isEqualTo("ok: p50 +2% (2.0 → 2.04 ms, 95% CI -3..+6%) within 10%");
        assertThat(Change.of(Figure.P99, 2.18, 2.0, 0.02, 0.16, 0.10).line())
                .isEqualTo("ok: p99 +9% (2.0 → 2.18 ms, 95% CI +2..+16%) not shown to exceed 10%");
        assertThat(Change.of(Figure.THROUGHPUT, 1170, 1520, -0.31, -0.15, 0.025).line())
                .isEqualTo("regression: throughput -23% (1520 → 1170 req/s, 95% CI -31..-15%) exceeds 2.5%");
        assertThat(Change.of(Figure.THROUGHPUT, 1600, 1520, -0.02, 0.12, 0.10).line())
                .isEqualTo("ok: throughput +5% (1520 → 1600 req/s, 95% CI -2..+12%) within 10%");
        assertThat(Change.figure(0.5321)).isEqualTo("0.532");
        assertThat(Change.figure(12.0)).isEqualTo("12.0");
    }

    @Test
    void thresholdsArePercentagesBetweenZeroAndAHundred() {
        assertThat(RegressionGate.parseThreshold("10%")).isEqualTo(0.10);
        assertThat(RegressionGate.parseThreshold("2.5%")).isEqualTo(0.025);
        for (String bad : new String[] {"0%", "-5%", "100%", "NaN%"}) {
            assertThatThrownBy(() -> RegressionGate.parseThreshold(bad)).hasMessage("must be above 0% and below 100%, was '" + bad + "'");
        }
        for (String bad : new String[] {"abc", "10", "%", ""}) {
            assertThatThrownBy(() -> RegressionGate.parseThreshold(bad)).hasMessage("must be a percentage such as 10%, was '" + bad + "'");
        }
    }

    @Test
    void aComparisonNeedsTwoRoundsOfEachSide() {
        List<List<RunResult>> r = rounds("open", 1.0, 1.0, 8);
        assertThatThrownBy(() -> RegressionGate.interleaved("x", r.get(0).subList(0, 1), r.get(1).subList(0, 1), 0.1))
                .hasMessage("an interleaved comparison needs at least 2 rounds of each side, was 1 and 1");
        assertThatThrownBy(() -> RegressionGate.interleaved("x", r.get(0), r.get(1).subList(0, 5), 0.1))
                .hasMessage("an interleaved comparison needs at least 2 rounds of each side, was 6 and 5");
    }
}
