package dev.headroom.edge.proxy;

import dev.headroom.edge.guard.ConnectionGuard;
import dev.headroom.edge.ratelimit.RateLimiter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What every connection of the edge shares: the routes, the clusters, the settings and the proxy's own counters. */
final class Router {
    final List<Route> routes;
    final Map<String, Cluster> clusters;
    final EdgeConfig config;
    final LongAdder retries = new LongAdder();
    final LongAdder noBackend = new LongAdder();
    /** Null without rate limits. */
    final RateLimiter limiter;
    /** The client connections' timeouts and limits, counted over all event loops. */
    final ConnectionGuard guard;

    Router(List<Route> routes, Map<String, Cluster> clusters, EdgeConfig config) {
        this.routes = routes;
        this.clusters = clusters;
        this.config = config;
        this.limiter = config.startRateLimiter();
        this.guard = new ConnectionGuard(config.clientGuard);
    }

    /** The cluster of the first route matching; null when none does. */
    Cluster route(String host, String path) {
        for (Route r : routes) {
            if (r.matches(host, path)) {
                return clusters.get(r.cluster());
            }
        }
        return null;
    }
}
