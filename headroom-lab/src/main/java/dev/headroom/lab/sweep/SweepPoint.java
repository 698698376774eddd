package dev.headroom.lab.sweep;

import java.util.List;

/**
 * One concurrency level of a {@link ThroughputSweep}: a closed-model run of {@code concurrency} connections.
 *
 * <p>Little's law in a closed loop: N = X·R holds on the client by construction (each connection always has one
 * request out), so the figure worth checking is the server's own count of requests in flight. When the server
 * holds fewer than N, the rest of each request's time is spent outside it (network, kernel queues, the
 * generator): {@link #outsideServerMs()} = (N − L_server) / X.
 *
 * @param throughputRps  answered requests (2xx–5xx alike, errors excluded) per second of the measured part
 * @param serverInflight mean of the server's in-flight gauge over the measured part, its own scrape taken out;
 *                       null when the target exposes no such gauge
 * @param invalidReasons why this point is not a valid measurement; such a point is shown but not fitted
 */
public record SweepPoint(int concurrency, double throughputRps, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                         double maxMs, double meanMs, long requests, long errors, Double serverInflight,
                         List<String> invalidReasons) {
    /** A server that holds fewer (or more) than this share off N fails the check. */
    public static final double LITTLE_TOLERANCE = 0.10;

    public boolean valid() {
        return invalidReasons.isEmpty();
    }

    /** (N − L_server) / N: the share of the loop's requests that were not in the server; NaN without a gauge. */
    public double littleGap() {
        return serverInflight == null ? Double.NaN : (concurrency - serverInflight) / concurrency;
    }

    /** True when the server's in-flight count is off N by more than {@link #LITTLE_TOLERANCE}. */
    public boolean littleFlagged() {
        return serverInflight != null && Math.abs(littleGap()) > LITTLE_TOLERANCE;
    }

    /** Mean time per request spent outside the server, in ms: (N − L_server) / X; NaN without a gauge. */
    public double outsideServerMs() {
        return serverInflight == null || throughputRps == 0 ? Double.NaN : (concurrency - serverInflight) / throughputRps * 1e3;
    }
}
