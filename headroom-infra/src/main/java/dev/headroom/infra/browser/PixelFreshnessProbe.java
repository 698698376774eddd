package dev.headroom.infra.browser;

import java.time.Duration;
import java.util.Random;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Event-to-pixel freshness: how long from handing an event to a pipeline until a page shows its effect.
 * A MutationObserver in the page logs each new value of one element with the page's {@code Date.now()};
 * the probe notes {@link System#currentTimeMillis()} just before it injects an event, then reads the time
 * the element first showed at least the value the event should produce. Both clocks are this machine's,
 * so the difference is the whole path: pipeline, push, WebSocket, script, DOM (what the next frame paints).
 *
 * <p>Probes are spaced by a seeded pause of 20–220 ms, so they fall at different points of a page's
 * update cycle. Resolution: 1 ms (Date.now()).
 */
public final class PixelFreshnessProbe {
    private static final long SEED = 17;
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);
    // The element's number is its text with everything but digits, sign and point removed ("1,234" -> 1234).
    private static final String INSTALL = """
            (() => {
              const el = document.getElementById(%s);
              const value = () => Number(el.textContent.replace(/[^0-9.-]/g, ''));
              const probe = window.__headroomProbe = { log: [[value(), Date.now()]] };
              new MutationObserver(() => probe.log.push([value(), Date.now()]))
                  .observe(el, { childList: true, characterData: true, subtree: true });
              probe.seen = (x) => { const e = probe.log.find(e => e[0] >= x); return e ? e[1] : null; };
              probe.take = (x) => { const i = probe.log.findIndex(e => e[0] >= x); const t = probe.log[i][1];
                                    probe.log = probe.log.slice(i + 1); return t; };
              return true;
            })()""";

    private final HeadlessChromium browser;
    private final String url;
    private final String elementId;

    /** @param elementId the page element whose number an injected event raises (e.g. {@code orders-total}) */
    public PixelFreshnessProbe(HeadlessChromium browser, String url, String elementId) {
        this.browser = browser;
        this.url = url;
        this.elementId = elementId;
    }

    /**
     * Loads the page, then {@code probes} times: injects one event and waits until the element shows what
     * {@code injectOne} said it would.
     *
     * @param injectOne hands one event to the pipeline and returns the element's expected new value
     * @return milliseconds from injection to the page's DOM showing it, one value per probe
     */
    public Histogram measure(int probes, LongSupplier injectOne) {
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1, was " + probes);
        }
        browser.navigate(url);
        String id = '"' + elementId + '"';
        browser.waitFor("document.getElementById(" + id + ") !== null", VISIBLE_WITHIN);
        browser.evaluate(INSTALL.formatted(id));
        Random random = new Random(SEED);
        Histogram millis = new Histogram(3);
        for (int i = 0; i < probes; i++) {
            pause(20 + random.nextInt(200));
            long injectedAt = System.currentTimeMillis();
            long expected = injectOne.getAsLong();
            browser.waitFor("window.__headroomProbe.seen(" + expected + ") !== null", VISIBLE_WITHIN);
            long shownAt = Long.parseLong(browser.evaluate("window.__headroomProbe.take(" + expected + ")"));
            millis.recordValue(Math.max(0, shownAt - injectedAt));
        }
        return millis;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between probes", e);
        }
    }
}
