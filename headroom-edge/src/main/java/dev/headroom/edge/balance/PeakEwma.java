package dev.headroom.edge.balance;

/**
 * A latency estimate that jumps to any higher observation at once and moves towards lower ones with time constant
 * {@code decay} (Finagle's and linkerd's peak-EWMA): a slow answer is believed at once, a fast one only as it
 * repeats, so an endpoint that turns slow loses traffic within one request and wins it back over seconds. Read
 * between observations, the estimate decays towards 0 with the same constant, so an endpoint shunned for being slow
 * is tried again after a while instead of never.
 *
 * <p>Updates race benignly: two threads observing at once may lose one of the observations, never corrupt the
 * estimate (each field is written whole; the pair is read as a pair by one method at a time only in tests).
 */
final class PeakEwma {
    static final long DEFAULT_DECAY_NANOS = 10_000_000_000L;
    /** The estimate before any observation: an unknown endpoint is neither favoured nor shunned. */
    static final long DEFAULT_INITIAL_NANOS = 1_000_000L;

    private final double decayNanos;
    private volatile long estimateNanos;
    private volatile long stampNanos;

    PeakEwma(long decayNanos, long initialNanos) {
        if (decayNanos <= 0 || initialNanos <= 0) {
            throw new IllegalArgumentException("decay and initial estimate must be positive, were " + decayNanos + " and " + initialNanos);
        }
        this.decayNanos = decayNanos;
        this.estimateNanos = initialNanos;
        this.stampNanos = System.nanoTime();
    }

    void observe(long latencyNanos, long now) {
        long previous = estimateNanos;
        if (latencyNanos > previous) {
            estimateNanos = latencyNanos;
        } else {
            double w = Math.exp(-Math.max(0, now - stampNanos) / decayNanos);
            estimateNanos = (long) (previous * w + latencyNanos * (1 - w));
        }
        stampNanos = now;
    }

    long estimate(long now) {
        return (long) (estimateNanos * Math.exp(-Math.max(0, now - stampNanos) / decayNanos));
    }
}
