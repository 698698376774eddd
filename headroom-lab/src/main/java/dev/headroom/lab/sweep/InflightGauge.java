package dev.headroom.lab.sweep;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads how many requests a server holds, from its Prometheus text exposition, in one of two ways:
 * <ul>
 *   <li>a metric ending in {@code _sum} (the shop's {@code http_server_requests_seconds_sum}, the seconds its
 *       requests took, all routes summed): the mean in flight over a window is the growth of that total divided
 *       by the window's length — the time integral of the in-flight count, so no reading can miss a request;</li>
 *   <li>any other metric is an in-flight gauge (e.g. {@code http_server_requests_inflight}): the mean of its
 *       readings, 1 taken off each for the scrape itself. A sample is biased low on an event-loop server: the
 *       loop that renders the scrape is not running a request meanwhile, and a request served wholly on one loop
 *       is never seen in flight from it.</li>
 * </ul>
 * Samples of all series of the metric are summed (one per route or instance, when the server splits them). The
 * sampler runs on a virtual thread of its own, beside the generator's event loop.
 */
final class InflightGauge {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration EVERY = Duration.ofMillis(250);

    private final URI metrics;
    private final String metric;
    private final boolean integral;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    InflightGauge(URI metrics, String metric) {
        this.metrics = metrics;
        this.metric = metric;
        this.integral = metric.endsWith("_sum");
    }

    URI url() {
        return metrics;
    }

    String metric() {
        return metric;
    }

    /** How the metric is read, for messages. */
    String method() {
        return integral ? "its growth per second (requests' seconds per second)" : "the mean of its readings, the scrape taken out";
    }

    /** One reading of the metric as exposed; throws when the server does not answer or lacks the metric. */
    double read() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(metrics + " answered " + r.statusCode());
        }
        return parse(r.body(), metric);
    }

    /** The mean in flight over readings {@code {nanoTime, value}}, by the metric's kind; null when they cannot tell. */
    Double mean(List<double[]> readings) {
        if (!integral) {
            return readings.isEmpty() ? null : readings.stream().mapToDouble(r -> Math.max(0, r[1] - 1)).average().orElseThrow();
        }
        if (readings.size() < 2) {
            return null;
        }
        double[] first = readings.get(0);
        double[] last = readings.get(readings.size() - 1);
        return (last[1] - first[1]) / ((last[0] - first[0]) / 1e9);
    }

    /** The sum of the samples of {@code metric} in a Prometheus text exposition; throws when there are none. */
    static double parse(String exposition, String metric) throws IOException {
        double sum = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(metric) && line.length() > metric.length()
                    && (line.charAt(metric.length()) == ' ' || line.charAt(metric.length()) == '{')) {
                // NAME{labels} VALUE [TIMESTAMP] or NAME VALUE [TIMESTAMP]
                String rest = line.charAt(metric.length()) == '{' ? line.substring(line.lastIndexOf('}') + 1) : line.substring(metric.length());
                String value = rest.trim().split(" ")[0];
                try {
                    sum += Double.parseDouble(value);
                    found = true;
                } catch (NumberFormatException e) {
                    throw new IOException("cannot read the value of '" + line + "'");
                }
            }
        }
        if (!found) {
            throw new IOException("no metric " + metric);
        }
        return sum;
    }

    /** Samples every {@link #EVERY} until {@link Sampling#meanBetween}; readings that fail are skipped. */
    Sampling start() {
        return new Sampling();
    }

    final class Sampling {
        private final List<double[]> readings = new ArrayList<>(); // {nanoTime, value}, owned by the thread until join
        private volatile boolean running = true;
        private final Thread thread = Thread.ofVirtual().name("inflight-gauge").start(this::loop);

        private void loop() {
            while (running) {
                try {
                    double value = read();
                    readings.add(new double[] {System.nanoTime(), value});
                    Thread.sleep(EVERY);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // a missed reading leaves the mean to the others
                }
            }
        }

        /** Stops sampling; the mean in flight over the readings taken in [from, to] (nanoTime), or null when they cannot tell. */
        Double meanBetween(long from, long to) throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            return mean(readings.stream().filter(r -> r[0] >= from && r[0] <= to).toList());
        }
    }
}
