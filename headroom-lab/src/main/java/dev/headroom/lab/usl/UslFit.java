package dev.headroom.lab.usl;

import java.util.Arrays;
import java.util.List;

/**
 * A Universal Scalability Law fit: the least squares model, bootstrap 95 % intervals of its
 * coefficients, and the bootstrap refits they came from. Made by {@link UslFitter}.
 *
 * @param model the least squares fit to all the points
 * @param sigmaCi the 95 % percentile interval of σ, {@code [lo, hi]}; NaNs without bootstrap samples
 * @param kappaCi the same for κ
 * @param lambdaCi the same for λ
 * @param constrained the coefficients, "sigma" then "kappa", whose fitted value sits on a bound (0,
 *     or 1 for σ): the data pulled them past it, so the fit holds them there and fits the others.
 *     "lambda" never appears: with any throughput above 0 its optimum is above 0
 * @param rSquared {@code 1 − SSE/SST} on throughput; 1 when every throughput is the same and fitted
 * @param points the measurements, in the order given
 * @param bootstrapSamples how many bootstrap refits the intervals rest on
 * @param replicates those refits, in the order drawn; {@link #band} reads them
 */
public record UslFit(UslModel model, double[] sigmaCi, double[] kappaCi, double[] lambdaCi,
        List<String> constrained, double rSquared, List<UslPoint> points, int bootstrapSamples,
        List<UslModel> replicates) {

    public UslFit {
        sigmaCi = interval("sigmaCi", sigmaCi);
        kappaCi = interval("kappaCi", kappaCi);
        lambdaCi = interval("lambdaCi", lambdaCi);
        constrained = List.copyOf(constrained);
        points = List.copyOf(points);
        replicates = List.copyOf(replicates);
        if (replicates.size() != bootstrapSamples) {
            throw new IllegalArgumentException("bootstrapSamples must equal the number of replicates, "
                    + replicates.size() + ", was " + bootstrapSamples);
        }
    }

    @Override
    public double[] sigmaCi() {
        return sigmaCi.clone();
    }

    @Override
    public double[] kappaCi() {
        return kappaCi.clone();
    }

    @Override
    public double[] lambdaCi() {
        return lambdaCi.clone();
    }

    /**
     * The 95 % band of the fitted throughput at n, {@code [lo, hi]}: the 2.5th and 97.5th
     * percentiles of the bootstrap refits' {@code X(n)}. It is a band for the curve (where the mean
     * throughput lies), not for single measurements, which scatter around it. NaNs without
     * bootstrap samples.
     *
     * @throws IllegalArgumentException when n is not a finite number >= 1
     */
    public double[] band(double n) {
        UslModel.checkConcurrency(n);
        double[] x = new double[replicates.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = replicates.get(i).throughput(n);
        }
        return percentileInterval(x);
    }

    /** The 2.5th and 97.5th percentiles of values (sorted in place), interpolated linearly. */
    static double[] percentileInterval(double[] values) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Arrays.sort(values);
        return new double[] {percentile(values, 0.025), percentile(values, 0.975)};
    }

    private static double percentile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[] interval(String name, double[] loHi) {
        if (loHi.length != 2 || loHi[0] > loHi[1]) {
            throw new IllegalArgumentException(name + " must be [lo, hi] with lo <= hi, was " + Arrays.toString(loHi));
        }
        return loHi.clone();
    }
}
