package dev.headroom.experiments;

import dev.headroom.shop.Shop;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One of the shop's timers as {@code /metrics} publishes it ({@code http_server_requests_seconds},
 * {@code hikaricp_connections_acquire_seconds}, …), read from each node's registry directly (the nodes run in the
 * lab's JVM), summed over its tags and the nodes, at one moment. Subtract two for a window's.
 *
 * @param name       the timer's Micrometer name, e.g. {@code http.server.requests}
 * @param cumulative events at or under each bucket's upper bound (nanoseconds), as Micrometer's percentile
 *                   histogram counts them: its buckets are 9–33 % apart, so a percentile read from it is as coarse
 * @param count      events timed
 * @param totalNanos their time, summed: the mean is exact
 */
public record TimerTotals(String name, TreeMap<Double, Double> cumulative, long count, double totalNanos) {
    /** The shop's time to serve requests, from its first handler to the end of the response. */
    public static final String HTTP_SERVER = "http.server.requests";

    /**
     * @throws IllegalStateException when the timer counted events but publishes no histogram: no percentile can be read
     */
    public static TimerTotals of(List<Shop> nodes, String name) {
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        long count = 0;
        double total = 0;
        for (Shop node : nodes) {
            for (Timer timer : node.registry().find(name).timers()) {
                HistogramSnapshot s = timer.takeSnapshot();
                if (s.histogramCounts().length == 0 && s.count() > 0) {
                    throw new IllegalStateException("the shop's " + name + " timers publish no histogram: no percentile can be read");
                }
                for (CountAtBucket b : s.histogramCounts()) {
                    cumulative.merge(b.bucket(TimeUnit.NANOSECONDS), b.count(), Double::sum);
                }
                count += s.count();
                total += s.total(TimeUnit.NANOSECONDS);
            }
        }
        return new TimerTotals(name, cumulative, count, total);
    }

    public TimerTotals minus(TimerTotals earlier) {
        TreeMap<Double, Double> window = new TreeMap<>(cumulative);
        earlier.cumulative.forEach((bucket, n) -> window.merge(bucket, -n, Double::sum));
        return new TimerTotals(name, window, count - earlier.count, totalNanos - earlier.totalNanos);
    }

    /**
     * The value at {@code percentile} (0..100), interpolated linearly within the bucket that holds it; 0 when nothing
     * was timed; the largest bucket's bound when it lies above it.
     */
    public double percentileMs(double percentile) {
        if (count == 0) {
            return 0;
        }
        double rank = count * percentile / 100.0;
        double lowerBound = 0;
        double below = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= rank && b.getValue() > below) {
                return (lowerBound + (rank - below) / (b.getValue() - below) * (b.getKey() - lowerBound)) / 1e6;
            }
            lowerBound = b.getKey();
            below = b.getValue();
        }
        return lowerBound / 1e6; // above the largest bucket: at least that
    }

    public double meanMs() {
        return count == 0 ? 0 : totalNanos / count / 1e6;
    }
}
