package dev.headroom.experiments.overload;

/**
 * Experiment 5: the rate a limit admits against the rate configured, over a measured window after the initial burst
 * drained: one edge with a local limit, and two edges sharing one global limit in Redis.
 *
 * @param configuredRps     the limit, requests per second
 * @param offeredRps        the open-model load offered (to both edges together in the global case)
 * @param seconds           the measured window
 * @param localAdmittedRps  2xx answers per second through the one edge with a local limit
 * @param globalAdmittedRps 2xx answers per second through both edges together, sharing the limit in Redis
 * @param failedOpen        checks that could not reach Redis and let the request pass (0 in a sound run)
 */
public record RateLimitResult(double configuredRps, double offeredRps, double seconds, double localAdmittedRps, double globalAdmittedRps,
                              long failedOpen) {
    /** How far the local limit admitted from the configured rate, in per cent of it (signed). */
    public double localErrorPercent() {
        return (localAdmittedRps / configuredRps - 1) * 100;
    }

    /** The same for the global limit. */
    public double globalErrorPercent() {
        return (globalAdmittedRps / configuredRps - 1) * 100;
    }
}
