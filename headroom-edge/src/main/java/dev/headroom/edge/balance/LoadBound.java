package dev.headroom.edge.balance;

/**
 * The bounded-load rule of Mirrokni, Thorup and Zadimoghaddam ("Consistent Hashing with Bounded Loads", SODA 2018)
 * for {@link RingHash} and {@link Maglev}: with T requests in flight over all endpoints, an endpoint of weight w out
 * of a total weight W is full when its inFlight + 1 > ceil((1 + ε) × (T + 1) × w / W). With equal weights this is
 * the paper's ceil((1 + ε) × (T + 1) / n). Weighted, because the hash already sends an endpoint w / W of the keys:
 * an unweighted cap would keep a heavy endpoint full and spill most of its keys.
 *
 * <p>Not every endpoint can be full at once: that would need T ≥ Σ inFlight ≥ (1 + ε)(T + 1). Callers still guard,
 * since concurrent picks read the counters while others change them; under concurrency the bound is approximate
 * (a pick can overshoot by the number of picks racing with it).
 *
 * <p>Cost: {@link #totalInFlight} reads every endpoint's counter, O(n) per pick, fine for n up to a few hundred.
 */
final class LoadBound {
    private final double factor;

    /** @param epsilon 0 turns the bound off */
    LoadBound(double epsilon) {
        this.factor = epsilon == 0 ? 0 : 1 + epsilon;
    }

    private boolean off() {
        return factor == 0;
    }

    private static long totalInFlight(Endpoint[] endpoints) {
        long total = 0;
        for (Endpoint e : endpoints) {
            total += e.inFlight();
        }
        return total;
    }

    /**
     * The key's choice {@code owners[first]}, or with the bound on, the first endpoint not full from there on, the
     * owners taken as a circle (a ring's points, a Maglev table's slots).
     *
     * @param endpoints the set the owners are drawn from; {@code totalWeight} its Σ weights
     */
    Endpoint pick(Endpoint[] owners, int first, Endpoint[] endpoints, long totalWeight) {
        if (off()) {
            return owners[first];
        }
        long total = totalInFlight(endpoints);
        int n = owners.length;
        for (int step = 0, i = first; step < n; step++, i = i + 1 == n ? 0 : i + 1) {
            if (!full(owners[i], total, totalWeight)) {
                return owners[i];
            }
        }
        return owners[first]; // all full: only when concurrent picks moved the counters under us
    }

    private boolean full(Endpoint e, long total, long totalWeight) {
        return e.inFlight() + 1 > Math.ceil(factor * (total + 1) * e.weight() / totalWeight);
    }

    static long totalWeight(Endpoint[] endpoints) {
        long total = 0;
        for (Endpoint e : endpoints) {
            total += e.weight();
        }
        return total;
    }
}
