package dev.headroom.shop.seed;

/**
 * Samples ranks {@code 0..n-1} with probability proportional to {@code 1 / (rank + 1 + shift)^exponent}
 * (Zipf for {@code shift = 0}, Zipf–Mandelbrot otherwise).
 *
 * <p>Algorithm: inversion on a precomputed CDF. A guide table (Chen and Asau, 1974) of {@code n}
 * equal-probability buckets maps a uniform {@code u} straight to the few CDF entries that can hold
 * its answer, so a sample is one {@code nextDouble}, one table read and a binary search over a
 * range that is a single entry in the head and a handful in the tail: O(1) expected. Costs:
 * 12 bytes per rank; building uses {@link StrictMath#pow}, whose results are specified bit for
 * bit (unlike {@link Math#pow}, which may differ by an ulp between JVMs), so the CDF and therefore
 * the samples are identical everywhere.
 *
 * <p>Immutable and thread-safe; the random stream is the caller's.
 */
final class ZipfSampler {

    private final double[] cdf;
    /** {@code guide[j]} is the first rank whose CDF exceeds {@code j / n}; {@code guide[n] = n - 1}. */
    private final int[] guide;

    ZipfSampler(int n, double exponent, double shift) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, was " + n);
        }
        cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / StrictMath.pow(i + 1 + shift, exponent);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        cdf[n - 1] = 1.0;
        guide = new int[n + 1];
        int rank = 0;
        for (int j = 0; j < n; j++) {
            double bound = (double) j / n;
            while (cdf[rank] <= bound) {
                rank++;
            }
            guide[j] = rank;
        }
        guide[n] = n - 1;
    }

    int size() {
        return cdf.length;
    }

    /** The probability of {@code rank}. */
    double probability(int rank) {
        return rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];
    }

    /** The probability that a sample is at most {@code rank}. */
    double cumulative(int rank) {
        return cdf[rank];
    }

    int sample(SplitMix64 rng) {
        return rankOf(rng.nextDouble());
    }

    /** The first rank whose cumulative probability exceeds {@code u}, for {@code u} in [0, 1). */
    int rankOf(double u) {
        int n = cdf.length;
        int bucket = (int) (u * n);
        // The answer is the first rank with cdf > u. Widen the bucket by one on each side so that
        // rounding in u * n can never put it outside [lo, hi].
        int lo = guide[Math.max(bucket - 1, 0)];
        int hi = guide[Math.min(bucket + 2, n)];
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
