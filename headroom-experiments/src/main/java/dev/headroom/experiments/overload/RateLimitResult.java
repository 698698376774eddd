package dev.headroom.experiments.overload;

/**
 * Experiment 5: the rate a limit admits against the rate configured, over a measured window after the initial burst
 * drained: one edge with a local limit, and two edges sharing one global limit in Redis.
 */
public record RateLimitResult(double configuredRps, double offeredRps, double seconds, double localAdmittedRps, double globalAdmittedRps) { }
