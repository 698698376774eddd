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
    /** The share of its weight a slow-starting endpoint takes at first. */
    static final double SLOW_START_FLOOR = 0.1;

    private final String id;
    private final int weight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PeakEwma latency;
    /** Slow start: when the ramp began and how long it lasts; 0 length when the endpoint is warm. */
    private volatile long rampFrom;
    private volatile long rampNanos;

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

    /**
     * Slow start: from now, over {@code window}, the weighted and two-choice algorithms send this endpoint a share
     * that grows linearly from {@value #SLOW_START_FLOOR} of its weight to all of it, so that a JVM that just
     * started (or came back) warms up under a trickle instead of its full share. Round robin, random and the hashing
     * algorithms ignore it (a key's endpoint does not move because it is warming). A zero window ends a ramp.
     */
    public void slowStart(java.time.Duration window) {
        slowStart(window.toNanos(), System.nanoTime());
    }

    void slowStart(long windowNanos, long from) {
        if (windowNanos < 0) {
            throw new IllegalArgumentException("the slow-start window must not be negative, was " + windowNanos + " ns");
        }
        this.rampFrom = from;
        this.rampNanos = windowNanos;
    }

    /** The share of this endpoint's weight it takes at {@code now}: 1 when warm, else {@value #SLOW_START_FLOOR} up to 1. */
    double warmth(long now) {
        long window = rampNanos;
        if (window == 0) {
            return 1;
        }
        double elapsed = (double) (now - rampFrom) / window;
        return elapsed >= 1 ? 1 : Math.max(SLOW_START_FLOOR, elapsed);
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

    /** Least-request's load: the requests it would then have in flight, per unit of warmth. */
    double load(long now) {
        return (inFlight.get() + 1) / warmth(now);
    }

    /** Peak-EWMA's cost: the latency estimate times the requests it would then have in flight, per unit of warmth. */
    double cost(long now) {
        return (double) latency.estimate(now) * (inFlight.get() + 1) / warmth(now);
    }

    @Override
    public String toString() {
        return id + (weight == 1 ? "" : ";weight=" + weight);
    }
}
