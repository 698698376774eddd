package dev.headroom.infra.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One real headless Chromium for the class: a data: page is loaded, evaluated in, waited on and photographed. */
class HeadlessChromiumTest {
    private static final String PAGE = "<!doctype html><title>t</title><h1 id='n'>0</h1>"
            + "<script>setTimeout(() => document.getElementById('n').textContent = '42', 50)</script>";

    private static HeadlessChromium browser;

    @BeforeAll
    static void start() {
        if (!HeadlessChromium.available()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(HeadlessChromium.missingMessage() + "; CI=true, so the browser tests fail rather than skip");
            }
            Assumptions.abort(HeadlessChromium.missingMessage() + "; skipped outside CI");
        }
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void loadsEvaluatesWaitsAndPhotographs(@TempDir Path dir) throws Exception {
        int errorsBefore = browser.errors().size(); // the other tests throw in the page on purpose
        browser.navigate("data:text/html," + URLEncoder.encode(PAGE, StandardCharsets.UTF_8).replace("+", "%20"));

        assertThat(browser.evaluate("document.title")).isEqualTo("t");
        assertThat(browser.evaluate("({a: [1, 2]})")).isEqualTo("{\"a\":[1,2]}");
        assertThat(browser.evaluate("undefined")).isEqualTo("undefined");
        browser.waitFor("document.getElementById('n').textContent === '42'", Duration.ofSeconds(5));
        Path png = dir.resolve("page.png");
        browser.screenshot(png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(1000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(browser.errors()).hasSize(errorsBefore);
    }

    @Test
    void pageExceptionsAreThrownAndKept() {
        assertThatThrownBy(() -> browser.evaluate("null.x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the page threw evaluating null.x: TypeError");
        browser.evaluate("setTimeout(() => { throw new Error('boom'); }, 0)");
        browser.waitFor("true", Duration.ofSeconds(1));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (browser.errors().isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(browser.errors()).anyMatch(e -> e.contains("Error: boom"));
    }

    @Test
    void waitingForWhatNeverHappensFailsNamingThePredicate() {
        assertThatThrownBy(() -> browser.waitFor("1 === 2", Duration.ofMillis(50)))
                .hasMessage("still false after 50 ms: 1 === 2");
    }
}
