package dev.headroom.experiments.analytics;

import dev.headroom.analytics.Analytics;
import dev.headroom.analytics.window.WindowResult;
import dev.headroom.analytics.window.WindowSink;
import org.HdrHistogram.Histogram;

/**
 * How long after its end each 1 s window's final result (merged over keys) was there: the wall clock when this sink
 * received it, minus the window's end — event time, which is the generator's wall clock (the same machine's). Only windows within the measured span count: not those
 * of the warm-up, nor those that end after the stream stopped (they wait for the quiet source to count as idle).
 */
final class FreshnessRecorder implements WindowSink {
    private final Histogram millis = new Histogram(3);
    /** Results received before their window's end by the wall clock: event time ahead of it, a generator's fault. */
    private long ahead;
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
            long late = System.currentTimeMillis() - r.end();
            if (late < 0) {
                ahead++;
            } else {
                millis.recordValue(late);
            }
        }
    }

    synchronized Histogram histogram() {
        if (ahead > 0) {
            throw new IllegalStateException(ahead + " windows' results came before their end by the wall clock: the stream's event time ran ahead of it");
        }
        return millis.copy();
    }
}
