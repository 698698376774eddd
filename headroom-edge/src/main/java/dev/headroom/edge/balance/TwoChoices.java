package dev.headroom.edge.balance;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The power of two choices: two distinct endpoints at random, the less loaded one by {@link Measure}. Against a
 * full scan it needs no shared state and avoids the herd (every balancer sending to the one least loaded); against
 * random it cuts the worst load from O(log n / log log n) to O(log log n) (Mitzenmacher).
 */
final class TwoChoices extends SnapshotBalancer {
    /** What "less loaded" means. */
    enum Measure {
        /** Fewer requests in flight (Envoy's least-request), divided by a slow-starting endpoint's warmth. */
        IN_FLIGHT,
        /** Lower peak-EWMA latency × (in flight + 1) (Finagle, linkerd). */
        PEAK_EWMA
    }

    private final RandomGenerator random;
    private final Measure measure;

    /** @param random null: each thread's ThreadLocalRandom */
    TwoChoices(RandomGenerator random, Measure measure) {
        this.random = random;
        this.measure = measure;
    }

    @Override
    public Endpoint pick(long key) {
        Endpoint[] e = array();
        if (e.length < 2) {
            return e.length == 0 ? null : e[0];
        }
        RandomGenerator r = random == null ? ThreadLocalRandom.current() : random;
        int i = r.nextInt(e.length);
        int j = r.nextInt(e.length - 1);
        if (j >= i) {
            j++; // a second endpoint, distinct from the first, uniformly
        }
        Endpoint a = e[i];
        Endpoint b = e[j];
        long now = System.nanoTime();
        if (measure == Measure.IN_FLIGHT) {
            return b.load(now) < a.load(now) ? b : a;
        }
        return b.cost(now) < a.cost(now) ? b : a;
    }
}
