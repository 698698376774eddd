package dev.headroom.lab.keys;

import java.util.random.RandomGenerator;

/**
 * Zipf sampling by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to generate
 * variates from monotone discrete distributions", ACM TOMACS 6(3), 1996).
 *
 * <p>Why this method: a table of cumulative probabilities costs memory and set-up time proportional to
 * the number of keys, and YCSB's approximation is biased for s ≠ 0.99. Rejection-inversion needs a few
 * constants and, per draw, one uniform variate and a {@code log}/{@code exp} pair, accepting over 90 % of
 * candidates for any s and n.
 *
 * <p>The idea: the continuous hat h(x) = x^-s dominates the probability of rank k over [k-½, k+½]. Draw
 * from the hat's area by inverting its integral H, round to the nearest rank, and accept when the point
 * falls under the rank's own bar. The first rank is given exactly its own area, so its acceptance
 * test never fails; {@code squeeze} accepts most other candidates without evaluating H.
 */
record Zipf(long low, long high, double s, double areaFirst, double areaEnd, double squeeze) implements KeyDistribution {

    Zipf(long low, long high, double s) {
        this(low, high, s, H(1.5, s) - 1.0, H(high - low + 1 + 0.5, s), 2.0 - Hinverse(H(2.5, s) - h(2, s), s));
    }

    long ranks() {
        return high - low + 1;
    }

    @Override
    public long next(RandomGenerator random) {
        long n = ranks();
        while (true) {
            // uniform over (areaFirst, areaEnd]: the hat's area from rank 1's bar to n + ½
            double u = areaEnd + random.nextDouble() * (areaFirst - areaEnd);
            double x = Hinverse(u, s);
            long k = Math.round(x);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= squeeze || u >= H(k + 0.5, s) - h(k, s)) {
                return low + k - 1;
            }
        }
    }

    static double h(double x, double s) {
        return Math.exp(-s * Math.log(x));
    }

    /** ∫₁ˣ t^-s dt, written so that s = 1 (the logarithm) and s near 1 stay exact. */
    static double H(double x, double s) {
        double logX = Math.log(x);
        return expm1OverX((1.0 - s) * logX) * logX;
    }

    static double Hinverse(double y, double s) {
        double t = (1.0 - s) * y;
        if (t < -1.0) {
            t = -1.0; // rounding at the far end of the range; log1p(-1) is the limit
        }
        return Math.exp(log1pOverX(t) * y);
    }

    /** (e^x - 1)/x, which tends to 1 as x → 0. */
    private static double expm1OverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1.0 + x / 2.0 * (1.0 + x / 3.0 * (1.0 + x / 4.0));
    }

    /** ln(1 + x)/x, which tends to 1 as x → 0. */
    private static double log1pOverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
    }
}
