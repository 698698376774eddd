package dev.headroom.lab.schedule;

/**
 * An open-model arrival plan: when each request is meant to be sent, independent of how fast the
 * server answers (that independence is what makes the latency coordinated-omission correct).
 * Implementations are immutable and answer for any {@code n} in increasing order cheaply (O(1)
 * amortised); the engine asks from one thread, in order.
 */
public interface Schedule {
    /** Returned by {@link #offsetNanos} once the plan has no more arrivals. */
    long END = Long.MAX_VALUE;

    /** Intended send time of arrival {@code n} (0-based), in nanoseconds after the run's start; {@link #END} past the plan. */
    long offsetNanos(long n);

    /** The rate the plan asks for at {@code seconds} after the start, in requests per second. */
    double rateAt(double seconds);

    /** How long the plan lasts, in seconds. */
    double durationSeconds();

    /** Arrivals the plan makes between {@code fromSeconds} and {@code toSeconds} (the integral of the rate). */
    double expectedArrivals(double fromSeconds, double toSeconds);
}
