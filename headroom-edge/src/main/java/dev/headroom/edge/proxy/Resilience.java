package dev.headroom.edge.proxy;

import dev.headroom.edge.admission.AdmissionController;
import dev.headroom.edge.admission.Priority;
import dev.headroom.edge.hedge.Hedger;
import dev.headroom.edge.retry.Backoff;
import dev.headroom.edge.retry.RetryBudget;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;

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
    /** 0: no adaptive concurrency limit; else its floor. */
    int concurrencyMin;
    int concurrencyMax;
    /** Path prefixes whose requests are critical (kept longest) or sheddable (refused first); the rest are normal. */
    List<String> criticalPaths = List.of();
    List<String> sheddablePaths = List.of();

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
        c.concurrencyMin = concurrencyMin;
        c.concurrencyMax = concurrencyMax;
        c.criticalPaths = criticalPaths;
        c.sheddablePaths = sheddablePaths;
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

    /** A cluster's adaptive concurrency limit (Gradient2 with a floor, CoDel queue, priority shares), or null when off. */
    AdmissionController admission() {
        return concurrencyMin == 0 ? null : admission(concurrencyMin, concurrencyMax);
    }

    /** @throws IllegalArgumentException naming what is wrong with the bounds */
    static AdmissionController admission(int min, int max) {
        return AdmissionController.builder().minLimit(min).maxLimit(max)
                .initialLimit(Math.min(max, Math.max(min, AdmissionController.Builder.DEFAULT_INITIAL_LIMIT))).build();
    }

    /** A request's class by its path: the first prefix list that has one of its prefixes. */
    Priority priority(String path) {
        for (String p : criticalPaths) {
            if (path.startsWith(p)) {
                return Priority.CRITICAL;
            }
        }
        for (String p : sheddablePaths) {
            if (path.startsWith(p)) {
                return Priority.SHEDDABLE;
            }
        }
        return Priority.NORMAL;
    }
}
