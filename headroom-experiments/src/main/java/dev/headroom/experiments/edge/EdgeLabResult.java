package dev.headroom.experiments.edge;

import java.util.List;
import java.util.Map;

/**
 * What {@code headroom lab edge} measured, written as JSON in snake case (the contract's field names); an experiment
 * not run (or skipped, e.g. a missing nginx) is null.
 *
 * @param proxyCost Headroom's edge against nginx {@code proxy_pass}, HAProxy and no proxy, on the same backend
 * @param slowNode  per algorithm id ({@code round-robin}, {@code peak-ewma}, …): p99 and the share sent to the slow node
 * @param failover  one of three nodes killed under load, with retries and ejection
 * @param scaleOut  capacity at the SLO with 1, 2, 3, 4 I/O-bound nodes
 * @param scaleFit  the USL fit over {@code scaleOut}
 */
public record EdgeLabResult(ProxyCost proxyCost, Map<String, SlowNode> slowNode, Failover failover, List<ScaleOutPoint> scaleOut,
                            ScaleFit scaleFit) {

    /**
     * Medians over interleaved rounds; rates in requests per second; added latencies are the proxy's p50/p99 minus
     * direct's at the same offered rate (half the slowest proxy's maximum). {@code haproxyRps} is null when HAProxy was
     * skipped (not installed, outside CI).
     */
    public record ProxyCost(double headroomRps, double nginxRps, Double haproxyRps, double directRps, double ratioVsNginx,
                            double addedP50Ms, double addedP99Ms, double nginxAddedP50Ms, double nginxAddedP99Ms,
                            Double haproxyAddedP99Ms, double offeredRps, int rounds) { }

    /** One algorithm at the offered rate: median p99 over the rounds, and the median share of requests the slow node got. */
    public record SlowNode(double p99Ms, double slowShare, double p50Ms, double offeredRps, int rounds) { }

    /**
     * The run with retries and ejection ({@code requests}, {@code errors}, {@code ejectMs}: from the kill to the node's
     * ejection), and the same run without them for contrast; POSTs with an Idempotency-Key checked in the ledger after.
     */
    public record Failover(long requests, long errors, long ejectMs, long requestsWithoutRetries, long errorsWithoutRetries,
                           long idempotentPosts, long postsMissing, long postsDuplicated, long rejoinMs) { }

    /** The highest offered rate the nodes served within the SLO. */
    public record ScaleOutPoint(int nodes, double capacityRps, double p99Ms) { }

    /** The Universal Scalability Law fitted to the scale-out points; N* null when κ is 0. */
    public record ScaleFit(double sigma, double kappa, double lambda, Double peakNodes, String bound, double rSquared) { }
}
