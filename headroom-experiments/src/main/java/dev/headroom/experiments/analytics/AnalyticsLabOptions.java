package dev.headroom.experiments.analytics;

import dev.headroom.experiments.ReportFiles;
import java.nio.file.Path;
import java.util.Set;

/**
 * What {@code headroom lab analytics} runs, checked here so that a bad value fails before anything starts.
 *
 * @param quick         small sizes: a smoke test for CI, not a measurement
 * @param seed          of the clickstream and of the history
 * @param phases        which parts to run (all by default)
 * @param rate          events per second the generator offers in the ingest run
 * @param seconds       how long the ingest run lasts (after its warm-up)
 * @param historyEvents raw events in the history the historical queries run over
 * @param json          where the result goes as JSON, or null
 * @param html          where the report goes as a self-contained HTML page, or null
 * @param screenshot    where a PNG of the dashboard under load goes (taken before the pixel probes), or null
 */
public record AnalyticsLabOptions(boolean quick, long seed, Set<Phase> phases, long rate, int seconds, long historyEvents,
                                  Path json, Path html, Path screenshot) {
    public static final long DEFAULT_SEED = 42;
    public static final long GOAL_RATE = 1_000_000;
    /** What the full lab offers: the goal and 10 %, so that holding it shows the goal with room to spare. */
    public static final long DEFAULT_RATE = 1_100_000;
    public static final int DEFAULT_SECONDS = 60;
    public static final long DEFAULT_HISTORY_EVENTS = 100_000_000;
    static final long QUICK_RATE = 100_000;
    static final int QUICK_SECONDS = 3;
    static final long QUICK_HISTORY_EVENTS = 500_000;

    public AnalyticsLabOptions {
        if (phases == null || phases.isEmpty()) {
            throw new IllegalArgumentException("give at least one experiment, among ingest, freshness, late, historical");
        }
        phases = Set.copyOf(phases);
        if (rate < 1_000 || rate > 20_000_000) {
            throw new IllegalArgumentException("--rate must be between 1000 and 20000000 events/s, was " + rate);
        }
        if (seconds < 1 || seconds > 3_600) {
            throw new IllegalArgumentException("--seconds must be between 1 and 3600, was " + seconds);
        }
        if (historyEvents < 10_000 || historyEvents > 2_000_000_000L) {
            throw new IllegalArgumentException("--history-events must be between 10000 and 2000000000, was " + historyEvents);
        }
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--html", html);
        ReportFiles.checkWritable("--screenshot", screenshot);
    }

    /** The full lab, or its quick form, with the sizes that go with it. */
    public static AnalyticsLabOptions of(boolean quick, long seed, Set<Phase> phases, Long rate, Integer seconds, Long historyEvents,
                                         Path json, Path html, Path screenshot) {
        return new AnalyticsLabOptions(quick, seed, phases,
                rate != null ? rate : quick ? QUICK_RATE : DEFAULT_RATE,
                seconds != null ? seconds : quick ? QUICK_SECONDS : DEFAULT_SECONDS,
                historyEvents != null ? historyEvents : quick ? QUICK_HISTORY_EVENTS : DEFAULT_HISTORY_EVENTS,
                json, html, screenshot);
    }

    public boolean runs(Phase phase) {
        return phases.contains(phase);
    }
}
