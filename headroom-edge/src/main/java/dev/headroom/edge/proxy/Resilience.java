package dev.headroom.edge.proxy;

import dev.headroom.edge.hedge.Hedger;
import dev.headroom.edge.retry.Backoff;
import dev.headroom.edge.retry.RetryBudget;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;

/**
 * The edge's settings for retries, hedging, circuit breakers and deadlines (checked by {@link EdgeConfig.Builder}),
 * and the per-cluster and per-backend objects they make.
 */
final class Resilience {
    static final int BREAKER_WINDOW = 20;
    static final int BREAKER_PROBES = 3;

    /** Negative: no budget (naive retries). */
    double budgetRatio = RetryBudget.DEFAULT_RATIO;
    int budgetMin = RetryBudget.DEFAULT_MIN_RETRY_CONCURRENCY;
    Duration backoffBase = Backoff.DEFAULT_BASE;
    Duration backoffCap = Backoff.DEFAULT_CAP;
    /** 0: no hedging. */
    double hedgePercentile;
    double hedgeMaxExtra = Hedger.DEFAULT_MAX_EXTRA_RATIO;
    Duration hedgeMinDelay = Hedger.DEFAULT_MIN_DELAY;
    Duration hedgeMaxDelay = Hedger.DEFAULT_MAX_DELAY;
    /** 0: no breakers. */
    int breakerFailureRate;
    Duration breakerOpenFor;
    /** Null: the upstream timeout. */
    Duration requestTimeout;

    Resilience copy() {
        Resilience c = new Resilience();
        c.budgetRatio = budgetRatio;
        c.budgetMin = budgetMin;
        c.backoffBase = backoffBase;
        c.backoffCap = backoffCap;
        c.hedgePercentile = hedgePercentile;
        c.hedgeMaxExtra = hedgeMaxExtra;
        c.hedgeMinDelay = hedgeMinDelay;
        c.hedgeMaxDelay = hedgeMaxDelay;
        c.breakerFailureRate = breakerFailureRate;
        c.breakerOpenFor = breakerOpenFor;
        c.requestTimeout = requestTimeout;
        return c;
    }

    RetryBudget retryBudget() {
        return budgetRatio < 0 ? null : RetryBudget.of(budgetRatio, budgetMin);
    }

    Backoff backoff() {
        return Backoff.exponential(backoffBase, backoffCap);
    }

    Hedger hedger() {
        return hedgePercentile == 0 ? null : Hedger.builder().percentile(hedgePercentile).maxExtraRatio(hedgeMaxExtra)
                .minDelay(hedgeMinDelay).maxDelay(hedgeMaxDelay).build();
    }

    /**
     * A count-based breaker: the last {@value #BREAKER_WINDOW} tries judged once that many were made; open rejects
     * at once; the move to half-open happens on the next request that asks (no timer thread).
     */
    CircuitBreaker breaker(String name) {
        if (breakerFailureRate == 0) {
            return null;
        }
        return CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED).slidingWindowSize(BREAKER_WINDOW)
                .minimumNumberOfCalls(BREAKER_WINDOW).failureRateThreshold(breakerFailureRate)
                .waitDurationInOpenState(breakerOpenFor).permittedNumberOfCallsInHalfOpenState(BREAKER_PROBES)
                .recordExceptions(Attempt.BackendFailure.class).build());
    }
}
