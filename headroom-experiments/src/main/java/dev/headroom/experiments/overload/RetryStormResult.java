package dev.headroom.experiments.overload;

/**
 * Experiment 2: an upstream that fails half its requests, behind the edge: requests that reached the upstream per
 * request offered, with naive retries (3 attempts) and with a 10 % retry budget.
 */
public record RetryStormResult(double offeredRps, double failureShare, double naiveAmplification, double budgetAmplification,
                               double naiveSuccessShare, double budgetSuccessShare) { }
