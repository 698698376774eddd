package dev.headroom.lab.sweep;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a server's in-flight gauge from its Prometheus text exposition, e.g. the shop's
 * {@code http_server_requests_inflight}. Samples of all series of the metric are summed (one per route or
 * instance, when the server splits them), and 1 is taken off: the scrape itself is in flight while the server
 * renders it. The sampler runs on a virtual thread of its own, beside the generator's event loop.
 */
final class InflightGauge {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration EVERY = Duration.ofMillis(100);

    private final URI metrics;
    private final String metric;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

    InflightGauge(URI metrics, String metric) {
        this.metrics = metrics;
        this.metric = metric;
    }

    URI url() {
        return metrics;
    }

    String metric() {
        return metric;
    }

    /** One reading, the scrape taken out; throws when the server does not answer or lacks the metric. */
    double read() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(metrics + " answered " + r.statusCode());
        }
        return Math.max(0, parse(r.body(), metric) - 1);
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

        /** Stops sampling; the mean of the readings taken in [from, to] (nanoTime), or null when there were none. */
        Double meanBetween(long from, long to) throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join();
            double[] inWindow = readings.stream().filter(r -> r[0] >= from && r[0] <= to).mapToDouble(r -> r[1]).toArray();
            return inWindow.length == 0 ? null : Arrays.stream(inWindow).average().orElseThrow();
        }
    }
}
