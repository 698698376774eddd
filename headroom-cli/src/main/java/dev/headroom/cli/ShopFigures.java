package dev.headroom.cli;

import dev.headroom.analytics.dashboard.ServiceFigures;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The shop's own figures for the dashboard's service panel, read from its meter registry: p99 latency per route
 * and the cache hit ratio, both over the last {@value #INTERVAL_MILLIS} ms or so (the registry's histograms and counters
 * are cumulative, so each reading takes the difference from the previous one) — what happens now, not since the start.
 * A call sooner than that after the last reading gets the last figures: the dashboard asks at every push and every
 * {@code snapshot.json}, and readings that close would be too short to mean anything.
 */
final class ShopFigures implements Supplier<ServiceFigures> {
    static final long INTERVAL_MILLIS = 1_000;

    private final MeterRegistry registry;
    private final LongSupplier clock;
    private long readAt = Long.MIN_VALUE;
    private ServiceFigures last = ServiceFigures.NONE;
    private final Map<String, double[]> lastBuckets = new HashMap<>();
    private double lastHits;
    private double lastLookups;

    ShopFigures(MeterRegistry registry) {
        this(registry, System::currentTimeMillis);
    }

    ShopFigures(MeterRegistry registry, LongSupplier clock) {
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public synchronized ServiceFigures get() {
        long now = clock.getAsLong();
        if (readAt != Long.MIN_VALUE && now - readAt < INTERVAL_MILLIS) {
            return last;
        }
        readAt = now;
        last = read();
        return last;
    }

    private ServiceFigures read() {
        // per route (statuses summed): cumulative counts per bucket, then the count of all requests in the last slot
        Map<String, double[]> now = new HashMap<>();
        Map<String, double[]> bounds = new HashMap<>();
        for (Timer timer : registry.find("http.server.requests").timers()) {
            String route = timer.getId().getTag("method") + " " + timer.getId().getTag("route");
            HistogramSnapshot snapshot = timer.takeSnapshot();
            CountAtBucket[] buckets = snapshot.histogramCounts();
            double[] counts = now.computeIfAbsent(route, r -> new double[buckets.length + 1]);
            if (counts.length != buckets.length + 1) {
                continue; // the timers of one route share one bucket layout; another cannot be summed with it
            }
            double[] upper = bounds.computeIfAbsent(route, r -> new double[buckets.length]);
            for (int i = 0; i < buckets.length; i++) {
                counts[i] += buckets[i].count();
                upper[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
            }
            counts[buckets.length] += snapshot.count();
        }
        Map<String, Double> p99 = new TreeMap<>();
        now.forEach((route, counts) -> {
            double[] before = lastBuckets.getOrDefault(route, new double[counts.length]);
            int last = counts.length - 1;
            double total = counts[last] - before[last];
            double[] upper = bounds.get(route);
            for (int i = 0; i < last && total > 0; i++) {
                if (counts[i] - before[i] >= 0.99 * total) {
                    p99.put(route, upper[i]); // the bucket's upper bound: p99 to the histogram's precision
                    break;
                }
            }
        });
        lastBuckets.clear();
        lastBuckets.putAll(now);
        double hits = count("l1_hit") + count("l2_hit");
        double lookups = count("l1_hit") + count("l1_miss");
        double ratio = lookups - lastLookups > 0 ? (hits - lastHits) / (lookups - lastLookups) : Double.NaN;
        lastHits = hits;
        lastLookups = lookups;
        return new ServiceFigures(p99, ratio);
    }

    private double count(String result) {
        return registry.find("headroom.cache.requests").tag("result", result).counters().stream().mapToDouble(Counter::count).sum();
    }
}
