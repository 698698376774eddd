package dev.headroom.lab.usl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Least squares fits of {@code X(N) = λ·N / (1 + σ·(N−1) + κ·N·(N−1))} to measured throughputs, with
 * coefficients kept in the box {@code 0 <= σ <= 1, κ >= 0} or, for comparison, left free.
 *
 * <p>Algorithm: Levenberg–Marquardt with Marquardt's scaling (the damping is proportional to the
 * diagonal of JᵀJ, since λ is in req/s and κ is often below 1e-4), and after every step λ is set to
 * its exact optimum for the new σ and κ: the model is linear in λ, so that is one ratio of sums, and
 * it makes the search effectively two-dimensional. A step that leaves the box is projected back onto
 * it, and an active set handles the bounds (see {@link #constrained}): a coefficient the data would
 * push below 0 comes out exactly 0, with the others re-fitted.
 *
 * <p>Starts: the quadratic {@code N/X = a + b·N + c·N²} that the law becomes when rearranged, solved
 * by weighted linear least squares (exact for noiseless data), the best point of a small grid over σ
 * and κ, and whatever starts the caller adds (the bootstrap passes the full-data fit).
 *
 * <p>Cost: each iteration is O(points) with a 3×3 solve, and a run takes 5 to 15 iterations; a
 * bounded fit of 32 points takes about 50 µs once the JIT has compiled it. Deterministic: no
 * randomness, and a fixed order of runs.
 */
final class UslLeastSquares {
    static final int SIGMA = 0;
    static final int KAPPA = 1;
    static final int LAMBDA = 2;

    private static final int MAX_ITERATIONS = 200;
    /** A step that promises, or achieves, less than this share of the residual ends the search. */
    private static final double TOLERANCE = 1e-15;
    private static final double[] GRID_SIGMA = {0, 0.001, 0.01, 0.05, 0.2, 0.5, 0.9};
    /** Grid values of κ·N_max², about the coherency term of the denominator at the largest measured N. */
    private static final double[] GRID_KAPPA_AT_MAX = {0, 0.01, 0.1, 1, 10};

    private static final double FREE = Double.NaN;

    private final double[] n;
    private final double[] x;

    UslLeastSquares(double[] n, double[] x) {
        this.n = n;
        this.x = x;
    }

    /**
     * The lowest-residual {σ, κ, λ} with {@code 0 <= σ <= 1} and {@code κ >= 0}; λ is its optimum for
     * those, which is > 0 when any throughput is.
     *
     * <p>Active set: each start is first fitted with σ and κ free, its steps projected onto the box.
     * Where a run ends on a bound, that coefficient is fixed there and the others are re-fitted from
     * where the run ended (a projected step may have stalled them), and so on down to the corners;
     * the lowest residual of all runs wins. The constrained optimum is an unconstrained optimum of
     * the face of the box it lies on, and that is the face the search was pushed onto.
     */
    double[] constrained(List<double[]> extraStarts) {
        List<double[]> starts = new ArrayList<>(extraStarts);
        starts.addAll(standardStarts());
        double[] best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (double[] start : starts) {
            List<Run> runs = new ArrayList<>(List.of(new Run(new double[] {FREE, FREE}, start)));
            for (int r = 0; r < runs.size(); r++) {
                double[] face = runs.get(r).face();
                double[] p = minimise(onFace(runs.get(r).start(), face), face, true);
                double cost = sse(p);
                if (cost < bestCost) {
                    best = p;
                    bestCost = cost;
                }
                if (Double.isNaN(face[SIGMA]) && (p[SIGMA] == 0 || p[SIGMA] == 1)) {
                    add(runs, new Run(new double[] {p[SIGMA], face[KAPPA]}, p));
                }
                if (Double.isNaN(face[KAPPA]) && p[KAPPA] == 0) {
                    add(runs, new Run(new double[] {face[SIGMA], 0}, p));
                }
            }
        }
        return best;
    }

    /** A face of the box, {σ, κ} each fixed to a bound or {@link #FREE}, and where to start on it. */
    private record Run(double[] face, double[] start) {}

    private static void add(List<Run> runs, Run run) {
        for (Run seen : runs) {
            if (Arrays.equals(seen.face(), run.face())) {
                return;
            }
        }
        runs.add(run);
    }

    /** The lowest-residual {σ, κ, λ} with no bounds: either coefficient may come out negative. */
    double[] unconstrained() {
        double[] free = {FREE, FREE};
        double[] best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (double[] start : standardStarts()) {
            double[] p = minimise(start, free, false);
            double cost = sse(p);
            if (cost < bestCost) {
                best = p;
                bestCost = cost;
            }
        }
        return best;
    }

    /** Σ (x − X(n))², or +Infinity where a denominator is not positive (outside the model's domain). */
    double sse(double[] p) {
        double sum = 0;
        for (int i = 0; i < n.length; i++) {
            double d = denominator(p, n[i]);
            if (!(d > 0)) {
                return Double.POSITIVE_INFINITY;
            }
            double r = x[i] - p[LAMBDA] * n[i] / d;
            sum += r * r;
        }
        return sum;
    }

    private List<double[]> standardStarts() {
        List<double[]> starts = new ArrayList<>(2);
        double[] linear = linearised();
        if (linear != null) {
            starts.add(linear);
        }
        starts.add(bestOfGrid());
        return starts;
    }

    /**
     * Rearranged, the law reads {@code N/X = a + b·N + c·N²} with {@code a = (1−σ)/λ},
     * {@code b = (σ−κ)/λ}, {@code c = κ/λ}. An error δ in X moves N/X by about {@code −N·δ/X²}, so
     * weighting each squared residual by {@code (X²/N)²} makes this linear fit approximate the
     * least squares fit on X. Null when it cannot be solved (fewer than 3 points with X > 0).
     */
    private double[] linearised() {
        double[][] a = new double[3][4];
        for (int i = 0; i < n.length; i++) {
            if (x[i] <= 0) {
                continue;
            }
            double w = x[i] * x[i] / n[i];
            w *= w;
            double[] row = {1, n[i], n[i] * n[i]};
            double y = n[i] / x[i];
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    a[j][k] += w * row[j] * row[k];
                }
                a[j][3] += w * row[j] * y;
            }
        }
        double[] abc = solve(a, 3);
        if (abc == null) {
            return null;
        }
        double lambda = 1 / (abc[0] + abc[1] + abc[2]);
        double[] p = {lambda * (abc[1] + abc[2]), lambda * abc[2], lambda};
        return Double.isFinite(p[SIGMA]) && Double.isFinite(p[KAPPA]) && lambda > 0 ? p : null;
    }

    private double[] bestOfGrid() {
        double maxN = 1;
        for (double v : n) {
            maxN = Math.max(maxN, v);
        }
        double[] best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (double sigma : GRID_SIGMA) {
            for (double kappaAtMax : GRID_KAPPA_AT_MAX) {
                double[] p = {sigma, kappaAtMax / (maxN * maxN), 0};
                p[LAMBDA] = bestLambda(p);
                double cost = sse(p);
                if (best == null || cost < bestCost) {
                    best = p;
                    bestCost = cost;
                }
            }
        }
        return best;
    }

    private static double[] onFace(double[] start, double[] face) {
        double[] p = start.clone();
        p[SIGMA] = Double.isNaN(face[SIGMA]) ? Math.clamp(p[SIGMA], 0, 1) : face[SIGMA];
        p[KAPPA] = Double.isNaN(face[KAPPA]) ? Math.max(p[KAPPA], 0) : face[KAPPA];
        return p;
    }

    /**
     * Levenberg–Marquardt over the coefficients the face leaves free, λ re-solved after each step.
     * Bounded: steps are projected onto the box.
     */
    private double[] minimise(double[] start, double[] face, boolean bounded) {
        double[] p = start.clone();
        p[LAMBDA] = bestLambda(p);
        double cost = sse(p);
        if (!Double.isFinite(cost)) {
            return p;
        }
        boolean[] free = {Double.isNaN(face[SIGMA]), Double.isNaN(face[KAPPA]), true};
        double damping = 1e-3;
        double[] jtj = new double[9];
        double[] jtr = new double[3];
        for (int iteration = 0; iteration < MAX_ITERATIONS && cost > 0; iteration++) {
            normalEquations(p, jtj, jtr);
            boolean improved = false;
            while (!improved && damping < 1e16) {
                double[] q = step(p, jtj, jtr, free, damping);
                if (q == null) {
                    damping *= 4;
                    continue;
                }
                if (predictedDecrease(p, q, jtr) <= TOLERANCE * cost) {
                    return p; // converged, or damped to a standstill: no step can still help
                }
                if (bounded) {
                    q[SIGMA] = Math.clamp(q[SIGMA], 0, 1);
                    q[KAPPA] = Math.max(q[KAPPA], 0);
                }
                q[LAMBDA] = bestLambda(q);
                double qCost = sse(q);
                if (qCost < cost) {
                    improved = true;
                    boolean converged = cost - qCost <= TOLERANCE * cost;
                    p = q;
                    cost = qCost;
                    damping = Math.max(damping / 3, 1e-12);
                    if (converged) {
                        return p;
                    }
                } else {
                    damping *= 4;
                }
            }
            if (!improved) {
                break;
            }
        }
        return p;
    }

    /** The decrease of the residual a step from p to q promises to first order, 2·(q − p)·Jᵀr. */
    private static double predictedDecrease(double[] p, double[] q, double[] jtr) {
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            sum += 2 * (q[j] - p[j]) * jtr[j];
        }
        return sum;
    }

    /** Accumulates JᵀJ (row-major 3×3) and Jᵀr for the model's Jacobian J at p. */
    private void normalEquations(double[] p, double[] jtj, double[] jtr) {
        Arrays.fill(jtj, 0);
        Arrays.fill(jtr, 0);
        double[] g = new double[3];
        for (int i = 0; i < n.length; i++) {
            double d = denominator(p, n[i]);
            double f = p[LAMBDA] * n[i] / d;
            double r = x[i] - f;
            g[SIGMA] = -f * (n[i] - 1) / d;
            g[KAPPA] = -f * n[i] * (n[i] - 1) / d;
            g[LAMBDA] = n[i] / d;
            for (int j = 0; j < 3; j++) {
                jtr[j] += g[j] * r;
                for (int k = 0; k < 3; k++) {
                    jtj[3 * j + k] += g[j] * g[k];
                }
            }
        }
    }

    /** p plus the damped Gauss–Newton step over the free coefficients; null if the system is singular. */
    private static double[] step(double[] p, double[] jtj, double[] jtr, boolean[] free, double damping) {
        int[] index = new int[3];
        int k = 0;
        for (int j = 0; j < 3; j++) {
            if (free[j] && jtj[4 * j] > 0) {
                index[k++] = j;
            }
        }
        double[][] a = new double[k][k + 1];
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < k; c++) {
                a[r][c] = jtj[3 * index[r] + index[c]];
            }
            a[r][r] *= 1 + damping;
            a[r][k] = jtr[index[r]];
        }
        double[] delta = solve(a, k);
        if (delta == null) {
            return null;
        }
        double[] q = p.clone();
        for (int r = 0; r < k; r++) {
            q[index[r]] += delta[r];
        }
        return q;
    }

    /** The λ minimising the residual for p's σ and κ: Σ x·g / Σ g² with g = N / denominator. */
    private double bestLambda(double[] p) {
        double xg = 0;
        double gg = 0;
        for (int i = 0; i < n.length; i++) {
            double g = n[i] / denominator(p, n[i]);
            xg += x[i] * g;
            gg += g * g;
        }
        return xg / gg;
    }

    private static double denominator(double[] p, double n) {
        return 1 + p[SIGMA] * (n - 1) + p[KAPPA] * n * (n - 1);
    }

    /**
     * Solves the k×k system in the augmented matrix a (k rows of k+1 columns) by Gaussian
     * elimination with partial pivoting; null when it is singular. Overwrites a.
     */
    private static double[] solve(double[][] a, int k) {
        for (int c = 0; c < k; c++) {
            int pivot = c;
            for (int r = c + 1; r < k; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            if (!(Math.abs(a[pivot][c]) > 0)) {
                return null;
            }
            double[] t = a[c];
            a[c] = a[pivot];
            a[pivot] = t;
            for (int r = c + 1; r < k; r++) {
                double m = a[r][c] / a[c][c];
                for (int j = c; j <= k; j++) {
                    a[r][j] -= m * a[c][j];
                }
            }
        }
        double[] s = new double[k];
        for (int r = k - 1; r >= 0; r--) {
            double v = a[r][k];
            for (int j = r + 1; j < k; j++) {
                v -= a[r][j] * s[j];
            }
            s[r] = v / a[r][r];
        }
        for (double v : s) {
            if (!Double.isFinite(v)) {
                return null;
            }
        }
        return s;
    }
}
