package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.infra.browser.HeadlessChromium;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom up --analytics} as a user runs it: the dashboard's URL printed, and an order placed through the
 * shop's API shows on the dashboard in a real headless Chromium, its revenue the order's total. Given
 * {@code --admin-token}, the one node's admin writes take that token and up prints none (the generated one, printed
 * once, is {@link UpNodesTest}'s case).
 */
class UpAnalyticsTest {
    private static final Pattern DASHBOARD = Pattern.compile("dashboard (http://127\\.0\\.0\\.1:\\d+/dashboard)");
    private static final Pattern READY = Pattern.compile("ready (http://127\\.0\\.0\\.1:\\d+) \\(\\d+ s\\)");
    private static final String TOKEN = "given-admin-token-42";

    @Test
    void anOrderPlacedThroughTheApiShowsOnTheDashboard(@TempDir Path dir) throws Exception {
        if (!HeadlessChromium.available()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(HeadlessChromium.missingMessage() + "; CI=true, so this test fails rather than skips");
            }
            Assumptions.abort(HeadlessChromium.missingMessage() + "; skipped outside CI");
        }
        Process up = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Headroom.class.getName(),
                "up", "--analytics", "--port", "0", "--analytics-port", "0", "--admin-token", TOKEN, "--data-dir", dir.toString(),
                "--users", "200", "--products", "50", "--orders", "100")
                .redirectErrorStream(true).start();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            String dashboard = null;
            Matcher ready = null;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                Matcher d = DASHBOARD.matcher(line);
                if (d.matches()) {
                    dashboard = d.group(1);
                }
                if ((ready = READY.matcher(line)).matches()) {
                    break;
                }
            }
            assertThat(ready).as(String.join("\n", lines)).isNotNull();
            assertThat(ready.matches()).as(String.join("\n", lines)).isTrue();
            assertThat(dashboard).as("the dashboard's URL printed before ready:\n" + String.join("\n", lines)).isNotNull();
            assertThat(lines).noneMatch(l -> l.contains("admin-token") || l.contains(TOKEN));
            HttpClient http = HttpClient.newHttpClient();
            assertThat(UpNodesTest.patchPrice(http, ready.group(1), null).statusCode()).isEqualTo(401);
            assertThat(UpNodesTest.patchPrice(http, ready.group(1), "Bearer " + TOKEN).statusCode()).isEqualTo(200);

            browser.navigate(dashboard);
            browser.waitFor("document.getElementById('orders-total').textContent.trim() === '0'", Duration.ofSeconds(10));

            HttpResponse<String> placed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ready.group(1) + "/orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"userId\": 7, \"items\": [{\"productId\": 5, \"quantity\": 2}]}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            long totalCents = new ObjectMapper().readTree(placed.body()).get("totalCents").asLong();

            browser.waitFor("document.getElementById('orders-total').textContent.trim() === '1'", Duration.ofSeconds(10));
            JsonNode snapshot = new ObjectMapper().readTree(browser.evaluate(
                    "fetch('/dashboard/snapshot.json').then(r => r.text())"));
            assertThat(snapshot.get("orders").asLong()).isEqualTo(1);
            assertThat(snapshot.get("revenueCents").asLong()).isEqualTo(totalCents);
            assertThat(browser.errors()).isEmpty();
        } finally {
            up.destroy();
            if (!up.waitFor(60, TimeUnit.SECONDS)) {
                up.destroyForcibly();
            }
        }
    }
}
