package dev.headroom.analytics.dashboard;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The service panel's figures, from whoever runs the service (the shop's own metrics): p99 latency per
 * route and the cache hit ratio.
 *
 * @param p99MillisByRoute p99 latency in milliseconds per route, e.g. {@code "GET /products/{id}" -> 4.2}
 * @param cacheHitRatio    hits / (hits + misses), 0..1, or {@link Double#NaN} when there is no cache or no lookup yet
 */
public record ServiceFigures(Map<String, Double> p99MillisByRoute, double cacheHitRatio) {
    /** Nothing known: the panel says so. */
    public static final ServiceFigures NONE = new ServiceFigures(Map.of(), Double.NaN);

    public ServiceFigures {
        if (!Double.isNaN(cacheHitRatio) && (cacheHitRatio < 0 || cacheHitRatio > 1)) {
            throw new IllegalArgumentException("cacheHitRatio must be within 0..1 (or NaN when unknown), was " + cacheHitRatio);
        }
        p99MillisByRoute = Collections.unmodifiableSortedMap(new TreeMap<>(p99MillisByRoute));
    }
}
