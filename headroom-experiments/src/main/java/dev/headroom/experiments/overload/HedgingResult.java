package dev.headroom.experiments.overload;

/**
 * Experiment 3: upstreams that stall 2 % of requests by 100 ms, through the edge, with and without hedged GETs.
 *
 * @param extraRequestsShare hedges sent per request offered
 */
public record HedgingResult(double offeredRps, double p99MsHedged, double p99MsUnhedged, double p999MsHedged, double p999MsUnhedged,
                            double extraRequestsShare) { }
