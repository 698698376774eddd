package dev.headroom.lab.regression;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The resampling behind {@link RegressionGate}: the distribution of the change target / reference − 1 of each
 * figure, and the interval read off it.
 *
 * <p>Two schemes. {@link #paired}: the units are rounds, and a resample draws n rounds with replacement and
 * weighs both sides of each drawn round alike, so a round whose machine was slow for both stays a pair and its
 * common slowness cancels in the ratio. {@link #blocks}: the reference is one fixed figure (a stored run) and
 * the target's per-second windows are drawn in moving blocks of consecutive seconds, which keeps the
 * autocorrelation of neighbouring seconds inside a block (Künsch 1989); the block length is n^(1/3), rounded
 * (Hall, Horowitz and Jing 1995).
 *
 * <p>The interval is Hesterberg's expanded percentile interval (Hesterberg 2015, "What teachers should know
 * about the bootstrap", The American Statistician 69(4)): with few units the plain percentile interval is too
 * narrow, because the bootstrap's spread is that of a sample of n with variance (n − 1)/n of the plug-in's and
 * it uses normal rather than Student tails; the expanded interval reads the percentiles at
 * α'/2 = Φ(−√(n/(n−1)) · t(α/2, n−1)) instead of α/2. For 6 rounds at 95 % that is the 0.24th and 99.76th
 * percentiles. n is the number of rounds, or of blocks.
 *
 * <p>Costs: a resample adds the drawn units' non-empty buckets into one array and scans it once, so
 * O(units × buckets) per resample; 10,000 resamples of 6 + 6 rounds of 2,500 requests each take about 0.2 s
 * (measured 2026-12-01, after the first call).
 */
final class Bootstrap {
    /** t(0.975, df) for df = 1..30; above 30 the Cornish–Fisher expansion is used (4 decimals). */
    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
        2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
        2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    private static final double Z975 = 1.959963984540054;

    private Bootstrap() {
    }

    /** The resampled changes of each figure, {@code [figure][resample]}, each row sorted. */
    record Distribution(double[][] changes, int units) {
    }

    /** Rounds drawn with replacement, both sides of a drawn round weighed alike. */
    static Distribution paired(Pool target, Pool reference, int resamples, long seed) {
        if (target.size() != reference.size()) {
            throw new IllegalArgumentException("paired sides must have as many rounds, were " + target.size() + " and " + reference.size());
        }
        int n = target.size();
        SplittableRandom random = new SplittableRandom(seed);
        double[][] changes = new double[Pool.FIGURES][resamples];
        int[] weights = new int[n];
        double[] t = new double[Pool.FIGURES];
        double[] r = new double[Pool.FIGURES];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(weights, 0);
            for (int k = 0; k < n; k++) {
                weights[random.nextInt(n)]++;
            }
            target.figures(weights, t);
            reference.figures(weights, r);
            for (int f = 0; f < Pool.FIGURES; f++) {
                changes[f][b] = t[f] / r[f] - 1;
            }
        }
        return sorted(changes, n);
    }

    /** The target's units (seconds) drawn in moving blocks; the reference's figures fixed. */
    static Distribution blocks(Pool target, double[] reference, int resamples, long seed) {
        int n = target.size();
        int length = blockLength(n);
        int blocks = (n + length - 1) / length;
        SplittableRandom random = new SplittableRandom(seed);
        double[][] changes = new double[Pool.FIGURES][resamples];
        int[] weights = new int[n];
        double[] t = new double[Pool.FIGURES];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(weights, 0);
            int drawn = 0;
            while (drawn < n) {
                int start = random.nextInt(n - length + 1);
                for (int j = 0; j < length && drawn < n; j++, drawn++) {
                    weights[start + j]++;
                }
            }
            target.figures(weights, t);
            for (int f = 0; f < Pool.FIGURES; f++) {
                changes[f][b] = t[f] / reference[f] - 1;
            }
        }
        return sorted(changes, blocks);
    }

    /** Seconds per block for {@code n} windows: n^(1/3), rounded, at least 1. */
    static int blockLength(int n) {
        return Math.max(1, (int) Math.round(Math.cbrt(n)));
    }

    private static Distribution sorted(double[][] changes, int units) {
        for (double[] row : changes) {
            Arrays.sort(row);
        }
        return new Distribution(changes, units);
    }

    /**
     * The lower tail α'/2 of the expanded 95 % percentile interval for {@code n} units:
     * Φ(−√(n/(n−1)) · t(0.975, n−1)); 0 for n = 1, where nothing can be said.
     */
    static double expandedTail(int n) {
        if (n < 2) {
            return 0;
        }
        return normalCdf(-Math.sqrt(n / (n - 1.0)) * t975(n - 1));
    }

    /** Student's t quantile at 0.975 with {@code df} degrees of freedom. */
    static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = Z975;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }

    /** Φ(z), the standard normal distribution function, from erfc (Numerical Recipes' erfcc, a Chebyshev fit: relative error below 1.2e-7). */
    static double normalCdf(double z) {
        return 0.5 * erfc(-z / Math.sqrt(2));
    }

    private static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** The {@code q} quantile (0..1) of sorted {@code values}, interpolating between neighbours (Hyndman–Fan type 7). */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
