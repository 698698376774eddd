package dev.headroom.edge.balance;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream a {@link Balancer} may choose: a name, a weight, and what the balancer learns of it while it serves.
 * The caller brackets every request it sends to a chosen endpoint with {@link #begin()} and {@link #end(long)}:
 * least-request reads the requests in flight, peak-EWMA also the latencies. Neither call allocates or locks.
 *
 * <p>Identity is the {@code id}: two endpoints with the same id are the same upstream to a hash ring, so a changed
 * weight or a restarted process keeps its keys. Thread-safe.
 */
public final class Endpoint {
    private final String id;
    private final int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PeakEwma latency;

    /** @param weight at least 1; the weighted algorithms send in proportion to it, the others ignore it */
    public Endpoint(String id, int weight) {
        this(id, weight, PeakEwma.DEFAULT_DECAY_NANOS, PeakEwma.DEFAULT_INITIAL_NANOS);
    }

    Endpoint(String id, int weight, long decayNanos, long initialNanos) {
        if (Objects.requireNonNull(id, "id").isBlank()) {
            throw new IllegalArgumentException("an endpoint needs a non-blank id");
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, was " + weight + " (endpoint " + id + ")");
        }
        this.id = id;
        this.weight = weight;
        this.latency = new PeakEwma(decayNanos, initialNanos);
    }

    public String id() {
        return id;
    }

    public int weight() {
        return weight;
    }

    /** Requests begun and not yet ended. */
    public int inFlight() {
        return inFlight.get();
    }

    /** A request to this endpoint starts. */
    public void begin() {
        inFlight.incrementAndGet();
    }

    /** A request that {@link #begin() began} ended after {@code latencyNanos} (answered or failed). */
    public void end(long latencyNanos) {
        inFlight.decrementAndGet();
        latency.observe(latencyNanos, System.nanoTime());
    }

    /** The peak-EWMA latency estimate now, in nanoseconds. */
    public long latencyEstimateNanos() {
        return latency.estimate(System.nanoTime());
    }

    /** Peak-EWMA's cost: the latency estimate times the requests it would then have in flight. */
    double cost(long now) {
        return (double) latency.estimate(now) * (inFlight.get() + 1);
    }

    @Override
    public String toString() {
        return id + (weight == 1 ? "" : ";weight=" + weight);
    }
}
