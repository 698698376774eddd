package dev.headroom.experiments.analytics;

import dev.headroom.analytics.Analytics;
import dev.headroom.analytics.window.WindowResult;
import dev.headroom.analytics.window.WindowSink;
import org.HdrHistogram.Histogram;

/**
 * How long after its end each 1 s window's final result (merged over keys) came out: emitted − end, where the end
 * is event time and event time is the generator's wall clock. Only windows within the measured span count: not those
 * of the warm-up, nor those that end after the stream stopped (they wait for the quiet source to count as idle).
 */
final class FreshnessRecorder implements WindowSink {
    private final Histogram millis = new Histogram(3);
    private volatile long from = Long.MAX_VALUE;
    private volatile long until = Long.MAX_VALUE;

    void from(long epochMillis) {
        from = epochMillis;
    }

    void until(long epochMillis) {
        until = epochMillis;
    }

    @Override
    public synchronized void accept(WindowResult r) {
        if (r.kind() == WindowResult.Kind.FINAL && r.key() == WindowResult.ALL_KEYS && Analytics.SECOND.name().equals(r.window())
                && r.start() >= from && r.end() <= until) {
            millis.recordValue(Math.max(0, r.emittedAtMillis() - r.end()));
        }
    }

    synchronized Histogram histogram() {
        return millis.copy();
    }
}
