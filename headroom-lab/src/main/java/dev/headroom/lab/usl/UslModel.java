package dev.headroom.lab.usl;

/**
 * Gunther's Universal Scalability Law: with N clients a system completes
 * {@code X(N) = λ·N / (1 + σ·(N−1) + κ·N·(N−1))} units of work per unit of time.
 *
 * <p>{@code λ} is what one client gets done alone. {@code σ} (contention) is the share of the work
 * that queues for something shared, so it runs one client at a time: on its own it bends the curve
 * towards the ceiling {@code λ/σ} (Amdahl's law). {@code κ} (coherency, crosstalk) is the cost of
 * keeping each pair of clients' views consistent; it grows with N², so throughput peaks at
 * {@code N*} and falls beyond it (the curve is retrograde).
 *
 * @param sigma contention, in {@code [0, 1]}
 * @param kappa coherency, at least 0
 * @param lambda the throughput of one client, greater than 0
 */
public record UslModel(double sigma, double kappa, double lambda) {
    public UslModel {
        if (!(sigma >= 0 && sigma <= 1)) {
            throw new IllegalArgumentException("sigma must be in [0, 1], was " + sigma);
        }
        if (!(kappa >= 0) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("kappa must be a finite number >= 0, was " + kappa);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number > 0, was " + lambda);
        }
    }

    /**
     * The modelled throughput with {@code n} clients.
     *
     * @throws IllegalArgumentException when n is not a finite number >= 1: the law describes one or
     *     more clients, and below one its denominator can reach 0
     */
    public double throughput(double n) {
        checkConcurrency(n);
        return lambda * n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /**
     * The concurrency of peak throughput, {@code N* = sqrt((1 − σ) / κ)}; NaN when {@code κ == 0}
     * (throughput only rises, towards {@code λ/σ} or without bound). Never below 1: when
     * {@code κ > 1 − σ} throughput falls from the first client on, and the peak is one client. It is
     * a real number; the best whole number of clients is the floor or the ceiling of it.
     */
    public double peakConcurrency() {
        return kappa == 0 ? Double.NaN : Math.max(1, Math.sqrt((1 - sigma) / kappa));
    }

    /**
     * The most this system can deliver, X_max: {@code X(N*)} when {@code κ > 0}; the Amdahl
     * asymptote {@code λ/σ} when {@code κ == 0} and {@code σ > 0}; +Infinity when both are 0
     * (linear scaling).
     */
    public double maxThroughput() {
        if (kappa > 0) {
            return throughput(peakConcurrency());
        }
        return sigma > 0 ? lambda / sigma : Double.POSITIVE_INFINITY;
    }

    /**
     * Which term bounds the throughput: {@code "coherency"}, {@code "contention"}, or {@code "none"}
     * for linear scaling ({@code σ == κ == 0}).
     *
     * <p>The rule compares the two terms of the denominator where the bound bites, at the peak N*:
     * {@code "coherency"} when {@code κ·N*·(N*−1) >= σ·(N*−1)}, which with {@code N* = sqrt((1−σ)/κ)}
     * is {@code κ·(1−σ) >= σ²}; {@code "contention"} otherwise, and always when {@code κ == 0} and
     * {@code σ > 0}. Since throughput is flat in N at the peak, each term is also how strongly X_max
     * responds to its coefficient (the term equals {@code −∂ln X_max / ∂ln coefficient} times the
     * denominator): the answer names the coefficient that, cut by the same share, would raise X_max
     * most. It depends on the model alone, not on the range a benchmark happened to cover.
     * Comparing σ with κ directly (as some tools do) compares numbers of different dimension: κ
     * multiplies N², so with {@code σ = 0.01} a κ fifty times smaller, 0.0002, already dominates.
     */
    public String bound() {
        if (kappa == 0) {
            return sigma == 0 ? "none" : "contention";
        }
        return kappa * (1 - sigma) >= sigma * sigma ? "coherency" : "contention";
    }

    static void checkConcurrency(double n) {
        if (!(n >= 1) || Double.isInfinite(n)) {
            throw new IllegalArgumentException("n must be a finite number >= 1, was " + n);
        }
    }
}
