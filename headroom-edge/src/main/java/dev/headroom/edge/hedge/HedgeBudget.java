package dev.headroom.edge.hedge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket that caps hedges to a share of requests: each request adds {@code ratio} of a token (up to
 * {@code burst} tokens), each hedge takes a whole one. It starts empty, so hedges never exceed
 * {@code ratio × requests} since it was made. Lock-free: one compare-and-set loop on a fixed-point count.
 */
final class HedgeBudget {
    private static final long TOKEN = 1_000_000;

    private final long perRequest;
    private final long capacity;
    private final AtomicLong tokens = new AtomicLong();

    HedgeBudget(double ratio, int burst) {
        this.perRequest = Math.round(ratio * TOKEN);
        this.capacity = burst * TOKEN;
    }

    void deposit() {
        long t;
        do {
            t = tokens.get();
            if (t >= capacity) {
                return;
            }
        } while (!tokens.compareAndSet(t, Math.min(capacity, t + perRequest)));
    }

    boolean tryTake() {
        long t;
        do {
            t = tokens.get();
            if (t < TOKEN) {
                return false;
            }
        } while (!tokens.compareAndSet(t, t - TOKEN));
        return true;
    }
}
