package dev.headroom.experiments.journey;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few counters the journey reads from each shop node's Prometheus page: API requests answered (health and
 * metrics pages left out), the time requests waited for a database connection, and each cache's hits and misses.
 * Summed over the nodes; a window is the difference of two readings.
 */
record NodeMetrics(double requests, double connectionWaitSeconds, Map<String, CacheCounts> caches) {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CACHE = Pattern.compile("cache=\"([^\"]+)\"");
    static final NodeMetrics NONE = new NodeMetrics(0, 0, Map.of());

    /** One cache's reads: every read is an L1 hit or an L1 miss (then maybe an L2 hit); with an L2 alone, an L1 miss. */
    record CacheCounts(double l1Hits, double l2Hits, double l1Misses) {
        static final CacheCounts ZERO = new CacheCounts(0, 0, 0);

        CacheCounts plus(CacheCounts o) {
            return new CacheCounts(l1Hits + o.l1Hits, l2Hits + o.l2Hits, l1Misses + o.l1Misses);
        }

        CacheCounts times(double factor) {
            return new CacheCounts(factor * l1Hits, factor * l2Hits, factor * l1Misses);
        }

        /** Reads answered from a cache; null when nothing was read through it. */
        Double hitRatio() {
            double reads = l1Hits + l1Misses;
            return reads == 0 ? null : (l1Hits + l2Hits) / reads;
        }
    }

    static NodeMetrics read(List<URI> nodes) throws IOException, InterruptedException {
        NodeMetrics sum = NONE;
        for (URI node : nodes) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(node.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException(node + "/metrics answered " + r.statusCode());
            }
            sum = sum.plus(parse(r.body()), 1);
        }
        return sum;
    }

    /** Reads the Prometheus text format: {@code name{labels} value} lines, summed over label sets. */
    static NodeMetrics parse(String text) {
        double requests = 0;
        double waitSeconds = 0;
        Map<String, CacheCounts> caches = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            double value = Double.parseDouble(line.substring(space + 1));
            String series = line.substring(0, space);
            if (series.startsWith("http_server_requests_seconds_count")) {
                if (!series.contains("route=\"/metrics\"") && !series.contains("route=\"/health/")) {
                    requests += value;
                }
            } else if (series.startsWith("shop_db_connection_acquire_seconds_sum")) {
                waitSeconds += value;
            } else if (series.startsWith("headroom_cache_requests_total")) {
                Matcher cache = CACHE.matcher(series);
                String name = cache.find() ? cache.group(1) : "?";
                CacheCounts add = series.contains("result=\"l1_hit\"") ? new CacheCounts(value, 0, 0)
                        : series.contains("result=\"l2_hit\"") ? new CacheCounts(0, value, 0) : new CacheCounts(0, 0, value);
                caches.merge(name, add, CacheCounts::plus);
            }
        }
        return new NodeMetrics(requests, waitSeconds, caches);
    }

    NodeMetrics plus(NodeMetrics o, double sign) {
        Map<String, CacheCounts> sum = new TreeMap<>(caches);
        o.caches.forEach((name, c) -> sum.merge(name, c.times(sign), CacheCounts::plus));
        return new NodeMetrics(requests + sign * o.requests, connectionWaitSeconds + sign * o.connectionWaitSeconds, sum);
    }

    NodeMetrics minus(NodeMetrics o) {
        return plus(o, -1);
    }

    /** All caches' reads together; null when nothing went through a cache. */
    Double hitRatio() {
        return caches.values().stream().reduce(CacheCounts.ZERO, CacheCounts::plus).hitRatio();
    }

    /** Each cache's hit ratio, by cache name; caches nothing was read through are left out. */
    Map<String, Double> hitRatios() {
        Map<String, Double> ratios = new TreeMap<>();
        caches.forEach((name, c) -> {
            if (c.hitRatio() != null) {
                ratios.put(name, c.hitRatio());
            }
        });
        return ratios;
    }
}
