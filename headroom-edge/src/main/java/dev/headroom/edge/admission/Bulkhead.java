package dev.headroom.edge.admission;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A concurrency pool of its own for one route class, so that a flood of slow requests of one class (searches)
 * fills only its own pool and cannot starve another class (checkout) of threads or database connections. Never
 * waits: {@link #tryEnter} answers at once, and a full pool is a fast rejection. Lock-free, usable from an event loop.
 *
 * <p>Not Resilience4j's {@code SemaphoreBulkhead}: with a zero wait it does the same compare-and-set, and brings its
 * core module and event publisher for counters this class keeps as two fields.
 */
public final class Bulkhead {
    private final String name;
    private final int maxConcurrent;
    private final AtomicInteger inUse = new AtomicInteger();
    private final LongAdder rejected = new LongAdder();

    /**
     * @param name          the route class, for metrics and messages
     * @param maxConcurrent requests of this class at once, at least 1
     * @throws IllegalArgumentException when maxConcurrent is below 1
     */
    public Bulkhead(String name, int maxConcurrent) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a bulkhead needs a name");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent of bulkhead '" + name + "' must be at least 1, was " + maxConcurrent);
        }
        this.name = name;
        this.maxConcurrent = maxConcurrent;
    }

    /** Takes a place if one is free; false (counted as rejected) when the pool is full. Pair a true with {@link #leave}. */
    public boolean tryEnter() {
        for (int n = inUse.get(); n < maxConcurrent; n = inUse.get()) {
            if (inUse.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        rejected.increment();
        return false;
    }

    public void leave() {
        if (inUse.decrementAndGet() < 0) {
            inUse.incrementAndGet();
            throw new IllegalStateException("bulkhead '" + name + "' left more often than entered");
        }
    }

    public String name() {
        return name;
    }

    public int maxConcurrent() {
        return maxConcurrent;
    }

    public int inUse() {
        return inUse.get();
    }

    public long rejected() {
        return rejected.sum();
    }
}
