package dev.headroom.experiments.cache;

import dev.headroom.experiments.ShopNodes;
import dev.headroom.shop.Shop;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The shop's own time to serve requests, from its first handler to the end of the response: what
 * {@code /metrics} publishes as {@code http_server_requests_seconds}, read from each node's registry directly (the
 * nodes run in the lab's JVM), summed over routes, statuses and nodes, at one moment. Subtract two for a window's.
 * Loopback HTTP and the client's queueing are not in it; the lab's own latencies have them.
 *
 * @param cumulative requests at or under each bucket's upper bound (nanoseconds), as Micrometer's percentile
 *                   histogram counts them: its buckets are 9–33 % apart, so a percentile read from it is as coarse
 * @param count      requests served
 * @param totalNanos their time, summed: the mean is exact
 */
record ServerTimes(TreeMap<Double, Double> cumulative, long count, double totalNanos) {
    static final String TIMER = "http.server.requests";

    static ServerTimes of(ShopNodes nodes) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        long count = 0;
        double total = 0;
        for (Shop node : nodes.list()) {
            for (Timer timer : node.registry().find(TIMER).timers()) {
                HistogramSnapshot s = timer.takeSnapshot();
                if (s.histogramCounts().length == 0 && s.count() > 0) {
                    throw new IllegalStateException("the shop's " + TIMER + " timers publish no histogram: the server-side p50 cannot be read");
                }
                for (CountAtBucket b : s.histogramCounts()) {
                    cumulative.merge(b.bucket(TimeUnit.NANOSECONDS), b.count(), Double::sum);
                }
                count += s.count();
                total += s.total(TimeUnit.NANOSECONDS);
            }
        }
        return new ServerTimes(cumulative, count, total);
    }

    ServerTimes minus(ServerTimes earlier) {
        TreeMap<Double, Double> window = new TreeMap<>(cumulative);
        earlier.cumulative.forEach((bucket, n) -> window.merge(bucket, -n, Double::sum));
        return new ServerTimes(window, count - earlier.count, totalNanos - earlier.totalNanos);
    }

    /** The median, interpolated linearly within the bucket that holds it; 0 when nothing was served. */
    double p50Ms() {
        if (count == 0) {
            return 0;
        }
        double half = count / 2.0;
        double lowerBound = 0;
        double below = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= half && b.getValue() > below) {
                return (lowerBound + (half - below) / (b.getValue() - below) * (b.getKey() - lowerBound)) / 1e6;
            }
            lowerBound = b.getKey();
            below = b.getValue();
        }
        return lowerBound / 1e6; // above the largest bucket: at least that
    }

    double meanMs() {
        return count == 0 ? 0 : totalNanos / count / 1e6;
    }
}
