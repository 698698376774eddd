package dev.headroom.analytics.generator;

import java.util.SplittableRandom;

/**
 * Draws ranks 0..n-1 with P(rank r) proportional to 1 / (r + 1)^s, in O(1) per draw and without
 * allocation: Walker's alias method (Vose's construction), built once in O(n).
 */
final class ZipfSampler {
    private final double[] keep;
    private final int[] alias;

    ZipfSampler(int n, double exponent) {
        double[] weight = new double[n];
        double total = 0;
        for (int r = 0; r < n; r++) {
            weight[r] = 1 / Math.pow(r + 1, exponent);
            total += weight[r];
        }
        keep = new double[n];
        alias = new int[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int smalls = 0;
        int larges = 0;
        for (int r = 0; r < n; r++) {
            weight[r] = weight[r] * n / total;
            if (weight[r] < 1) {
                small[smalls++] = r;
            } else {
                large[larges++] = r;
            }
        }
        while (smalls > 0 && larges > 0) {
            int s = small[--smalls];
            int l = large[--larges];
            keep[s] = weight[s];
            alias[s] = l;
            weight[l] += weight[s] - 1;
            if (weight[l] < 1) {
                small[smalls++] = l;
            } else {
                large[larges++] = l;
            }
        }
        // What remains is 1 up to rounding.
        while (larges > 0) {
            keep[large[--larges]] = 1;
        }
        while (smalls > 0) {
            keep[small[--smalls]] = 1;
        }
    }

    int next(SplittableRandom random) {
        int r = random.nextInt(keep.length);
        return random.nextDouble() < keep[r] ? r : alias[r];
    }
}
