package dev.headroom.edge.retry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Envoy's retry budget: retries in flight stay at most {@code max(minRetryConcurrency, ratio × requests in flight)},
 * so that a failing upstream sees at most a fixed share more load, however many of its answers fail (a fixed number
 * of attempts would multiply it instead: 3 attempts against an upstream failing everything triple its load).
 * <pre>{@code
 * RetryBudget budget = RetryBudget.of(0.2, 3);
 * budget.requestStarted();
 * ... first try failed ...
 * if (budget.tryAcquireRetry()) { try { retry } finally { budget.releaseRetry(); } }
 * budget.requestEnded();
 * }</pre>
 *
 * <p>Concurrency: lock-free. Requests in flight are a {@link LongAdder} (written per request, read only when a retry
 * is asked for); retries in flight an {@link AtomicInteger} taken by compare-and-set, so the bound holds exactly
 * while many threads ask at once.
 */
public final class RetryBudget {
    /** Envoy's default share: 20 % of the requests in flight. */
    public static final double DEFAULT_RATIO = 0.2;
    /** Envoy's default floor: 3 retries in flight whatever the load, so a quiet service can still retry. */
    public static final int DEFAULT_MIN_RETRY_CONCURRENCY = 3;

    private final double ratio;
    private final int minRetryConcurrency;
    private final LongAdder requests = new LongAdder();
    private final AtomicInteger retries = new AtomicInteger();
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();

    private RetryBudget(double ratio, int minRetryConcurrency) {
        this.ratio = ratio;
        this.minRetryConcurrency = minRetryConcurrency;
    }

    /**
     * @param ratio retries in flight per request in flight, from 0 to 1 (Envoy's budget_percent / 100)
     * @param minRetryConcurrency retries in flight allowed whatever the ratio gives, from 0 to 10000
     * @throws IllegalArgumentException when either is out of range
     */
    public static RetryBudget of(double ratio, int minRetryConcurrency) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("the retry budget's ratio must be between 0 and 1 (0 % and 100 % of the requests in flight), was " + ratio);
        }
        if (minRetryConcurrency < 0 || minRetryConcurrency > 10_000) {
            throw new IllegalArgumentException("the retry budget's min retry concurrency must be between 0 and 10000, was " + minRetryConcurrency);
        }
        return new RetryBudget(ratio, minRetryConcurrency);
    }

    public static RetryBudget ofDefaults() {
        return of(DEFAULT_RATIO, DEFAULT_MIN_RETRY_CONCURRENCY);
    }

    /** A request (its first try) starts; pair with {@link #requestEnded()}. */
    public void requestStarted() {
        requests.increment();
    }

    public void requestEnded() {
        requests.decrement();
    }

    /** Takes a retry's place if the budget has one; a true answer must be paired with {@link #releaseRetry()}. */
    public boolean tryAcquireRetry() {
        int limit = limit();
        for (int now = retries.get(); now < limit; now = retries.get()) {
            if (retries.compareAndSet(now, now + 1)) {
                allowed.increment();
                return true;
            }
        }
        denied.increment();
        return false;
    }

    /** A retry taken by {@link #tryAcquireRetry()} has ended (answered, failed or abandoned). */
    public void releaseRetry() {
        retries.decrementAndGet();
    }

    /** Retries in flight allowed now. */
    public int limit() {
        return (int) Math.max(minRetryConcurrency, ratio * requests.sum());
    }

    public double ratio() {
        return ratio;
    }

    public int minRetryConcurrency() {
        return minRetryConcurrency;
    }

    public int retriesInFlight() {
        return retries.get();
    }

    public long requestsInFlight() {
        return requests.sum();
    }

    /** Retries the budget allowed, since it was made. */
    public long allowed() {
        return allowed.sum();
    }

    /** Retries the budget refused, since it was made. */
    public long denied() {
        return denied.sum();
    }

    @Override
    public String toString() {
        return "RetryBudget[" + Math.round(ratio * 1000) / 10.0 + " %, min " + minRetryConcurrency + "]";
    }
}
