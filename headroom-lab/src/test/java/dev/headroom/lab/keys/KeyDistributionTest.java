package dev.headroom.lab.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The key distributions checked statistically: Pearson's chi-square statistic of the drawn counts
 * against the exact probabilities must stay below the 99.9 % critical value. Seeds are fixed, so a
 * pass is reproducible; {@link #theTestRejectsAWrongDistribution} shows the check can fail.
 */
class KeyDistributionTest {
    private static final int DRAWS = 400_000;

    @ParameterizedTest(name = "zipf(1..{0}, s={1})")
    @CsvSource({"100, 0.5", "100, 0.99", "100, 1.0", "100, 1.5", "1000, 3.0", "1, 0.99", "2, 1.2"})
    void zipfMatchesItsExactProbabilities(long n, double s) {
        KeyDistribution zipf = KeyDistribution.zipf(1, n, s);
        long[] counts = draw(zipf, 1, n, new SplittableRandom(11));
        double[] p = zipfProbabilities(n, s);
        assertThat(chiSquare(counts, p)).isLessThan(criticalValue999(bins(p) - 1));
    }

    @Test
    void zipfOnAMillionKeysMatchesBinnedProbabilities() {
        long n = 1_000_000;
        KeyDistribution zipf = KeyDistribution.zipf(1, n, 0.99);
        double[] p = zipfProbabilities(n, 0.99);
        // bins: ranks 1..20 one by one, then decades 21..100, 101..1000, ..., up to n
        List<long[]> edges = new ArrayList<>();
        for (long k = 1; k <= 20; k++) {
            edges.add(new long[] {k, k});
        }
        edges.add(new long[] {21, 100});
        for (long lo = 101; lo <= n; lo = lo * 10 - 9) {
            edges.add(new long[] {lo, Math.min(n, lo * 10 - 10)});
        }
        long[] counts = new long[edges.size()];
        double[] expected = new double[edges.size()];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < DRAWS; i++) {
            long k = zipf.next(random);
            assertThat(k).isBetween(1L, n);
            counts[bin(edges, k)]++;
        }
        for (int b = 0; b < edges.size(); b++) {
            for (long k = edges.get(b)[0]; k <= edges.get(b)[1]; k++) {
                expected[b] += p[(int) (k - 1)];
            }
        }
        assertThat(chiSquare(counts, expected)).isLessThan(criticalValue999(edges.size() - 1));
        // the property a cache experiment relies on: the hottest 1 % of keys (ranks 1..10 000) draw about 2/3
        long top1Percent = 0;
        for (int b = 0; b < edges.size() && edges.get(b)[1] <= n / 100; b++) {
            top1Percent += counts[b];
        }
        assertThat(top1Percent / (double) DRAWS).isBetween(0.64, 0.70);
    }

    @Test
    void theTestRejectsAWrongDistribution() {
        // Zipf with a slightly different exponent must be caught: the check has teeth
        long[] counts = draw(KeyDistribution.zipf(1, 100, 0.95), 1, 100, new SplittableRandom(11));
        double[] p = zipfProbabilities(100, 0.99);
        assertThat(chiSquare(counts, p)).isGreaterThan(criticalValue999(bins(p) - 1));
    }

    @Test
    void zipfShiftsToTheGivenRange() {
        KeyDistribution zipf = KeyDistribution.zipf(1000, 1099, 1.0);
        long[] counts = draw(zipf, 1000, 1099, new SplittableRandom(3));
        assertThat(chiSquare(counts, zipfProbabilities(100, 1.0))).isLessThan(criticalValue999(99));
    }

    @Test
    void uniformIsFlat() {
        long[] counts = draw(KeyDistribution.uniform(-5, 44), -5, 44, new SplittableRandom(2));
        double[] p = new double[50];
        java.util.Arrays.fill(p, 1.0 / 50);
        assertThat(chiSquare(counts, p)).isLessThan(criticalValue999(49));
    }

    @Test
    void hotspotSendsItsShareToTheHotSlice() {
        KeyDistribution hot = KeyDistribution.hotspot(1, 1000, 0.2, 0.8);
        long[] counts = draw(hot, 1, 1000, new SplittableRandom(9));
        double[] p = new double[1000];
        for (int k = 0; k < 1000; k++) {
            p[k] = k < 200 ? 0.8 / 200 : 0.2 / 800;
        }
        assertThat(chiSquare(counts, p)).isLessThan(criticalValue999(999));
        long inHot = 0;
        for (int k = 0; k < 200; k++) {
            inHot += counts[k];
        }
        assertThat(inHot / (double) DRAWS).isBetween(0.795, 0.805);
    }

    @Test
    void sameSeedSameKeys() {
        KeyDistribution zipf = KeyDistribution.zipf(1, 100_000, 0.99);
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 1000; i++) {
            assertThat(zipf.next(a)).isEqualTo(zipf.next(b));
        }
    }

    @Test
    void badParametersSayWhatIsWrong() {
        assertThatThrownBy(() -> KeyDistribution.zipf(10, 1, 1)).hasMessage("key range must have low <= high, was 10..1");
        assertThatThrownBy(() -> KeyDistribution.zipf(1, 10, 0)).hasMessage("zipf exponent s must be in (0, 10], was 0.0");
        assertThatThrownBy(() -> KeyDistribution.zipf(1, 10, Double.NaN)).hasMessageContaining("zipf exponent");
        assertThatThrownBy(() -> KeyDistribution.uniform(Long.MIN_VALUE, Long.MAX_VALUE)).hasMessageContaining("too wide");
        assertThatThrownBy(() -> KeyDistribution.hotspot(1, 10, 1.0, 0.5)).hasMessageContaining("hot share");
        assertThatThrownBy(() -> KeyDistribution.hotspot(1, 10, 0.5, 1.5)).hasMessageContaining("hotspot rate");
        assertThatThrownBy(() -> KeyDistribution.hotspot(1, 1, 0.5, 0.5)).hasMessageContaining("at least one cold key");
    }

    private static long[] draw(KeyDistribution d, long low, long high, SplittableRandom random) {
        long[] counts = new long[(int) (high - low + 1)];
        for (int i = 0; i < DRAWS; i++) {
            long k = d.next(random);
            assertThat(k).isBetween(low, high);
            counts[(int) (k - low)]++;
        }
        return counts;
    }

    private static double[] zipfProbabilities(long n, double s) {
        double[] p = new double[(int) n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            p[k - 1] = Math.pow(k, -s);
            sum += p[k - 1];
        }
        for (int k = 0; k < n; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** Pearson's statistic; ranks whose expected count is under 5 are pooled into one tail bin. */
    private static double chiSquare(long[] counts, double[] p) {
        double stat = 0;
        double tailExpected = 0;
        long tailObserved = 0;
        for (int i = 0; i < counts.length; i++) {
            double expected = p[i] * DRAWS;
            if (expected < 5) {
                tailExpected += expected;
                tailObserved += counts[i];
            } else {
                stat += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        if (tailExpected > 0) {
            stat += (tailObserved - tailExpected) * (tailObserved - tailExpected) / tailExpected;
        }
        return stat;
    }

    private static int bins(double[] p) {
        int bins = 0;
        boolean tail = false;
        for (double v : p) {
            if (v * DRAWS >= 5) {
                bins++;
            } else {
                tail = true;
            }
        }
        return Math.max(2, bins + (tail ? 1 : 0));
    }

    /** Wilson–Hilferty approximation of the chi-square 99.9 % quantile with {@code df} degrees of freedom. */
    private static double criticalValue999(int df) {
        double z = 3.0902;
        double a = 2.0 / (9.0 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }

    private static int bin(List<long[]> edges, long k) {
        for (int b = 0; b < edges.size(); b++) {
            if (k <= edges.get(b)[1]) {
                return b;
            }
        }
        throw new AssertionError(k);
    }
}
