package dev.headroom.experiments.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.analytics.Analytics;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.edge.CpuPinning;
import dev.headroom.infra.browser.HeadlessChromium;
import dev.headroom.infra.browser.PixelFreshnessProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Event to pixel, under load: the pipeline takes the generator's stream at the lab's rate while the dashboard is open
 * in headless Chromium, and each probe posts one order of {@value #MARKER_CENTS} cents to {@code POST /events} —
 * a revenue jump the stream itself cannot make within seconds — and times it until the page's {@code revenue-total}
 * shows it ({@link PixelFreshnessProbe}: the page's clock and this JVM's are the same machine's).
 */
final class PixelRun {
    /** $100M: the stream's own revenue grows by well under this in the seconds a probe may take. */
    static final long MARKER_CENTS = 10_000_000_000L;
    private static final int PROBE_SOURCE = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Outcome(Histogram pixelMillis, Histogram windowFreshness, String note) { }

    private PixelRun() {
    }

    static Outcome run(AnalyticsLabOptions o, CpuPinning pinning, Path screenshot, ProgressLog progress) throws Exception {
        FreshnessRecorder freshness = new FreshnessRecorder();
        if (!HeadlessChromium.available()) {
            return new Outcome(null, freshness.histogram(), HeadlessChromium.missingMessage());
        }
        int probes = o.quick() ? 5 : 30;
        int seconds = o.quick() ? 12 : 40;
        progress.line(String.format("freshness: the dashboard in headless Chromium, %d probes while %,d events/s stream in", probes, o.rate()));
        try (Analytics pipeline = Analytics.builder().tap(freshness).start(); HeadlessChromium browser = HeadlessChromium.start();
             HttpClient http = HttpClient.newHttpClient()) {
            GeneratorProcess generator = GeneratorProcess.start(pinning, pipeline.tcpPort(), o.rate(), seconds, o.seed() + 1);
            try {
                TimeUnit.SECONDS.sleep(o.quick() ? 1 : 5);
                freshness.from(System.currentTimeMillis());
                if (screenshot != null) { // before the probes: their marker orders would show in the revenue
                    browser.navigate(pipeline.dashboardUrl());
                    TimeUnit.SECONDS.sleep(o.quick() ? 1 : 5);
                    browser.screenshot(screenshot);
                }
                String base = "http://127.0.0.1:" + pipeline.httpPort();
                Histogram pixel = new PixelFreshnessProbe(browser, pipeline.dashboardUrl(), "revenue-total")
                        .measure(probes, () -> injectMarker(http, base));
                freshness.until(System.currentTimeMillis());
                return new Outcome(pixel, freshness.histogram(), null);
            } finally {
                generator.kill();
            }
        }
    }

    /** Posts one marker order; returns the revenue in dollars the page must reach to show it. */
    private static long injectMarker(HttpClient http, String base) {
        try {
            long before = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/dashboard/snapshot.json")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("revenueCents").asLong();
            String order = String.format("{\"type\":\"order_placed\",\"time\":%d,\"user\":1,\"product\":1,\"category\":1,\"amount_cents\":%d}%n",
                    System.currentTimeMillis(), MARKER_CENTS);
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/events"))
                    .header("Content-Type", "application/x-ndjson").header("Headroom-Source", Integer.toString(PROBE_SOURCE))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(order)).build(), HttpResponse.BodyHandlers.ofString());
            if (posted.statusCode() != 202) {
                throw new IllegalStateException("POST /events answered " + posted.statusCode() + ": " + posted.body());
            }
            return (before + MARKER_CENTS) / 100;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing", e);
        }
    }
}
