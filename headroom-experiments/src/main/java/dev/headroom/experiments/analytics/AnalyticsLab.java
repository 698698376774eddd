package dev.headroom.experiments.analytics;

import dev.headroom.analytics.Analytics;
import dev.headroom.analytics.window.DisorderedStream;
import dev.headroom.analytics.window.ReplayCheck;
import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.edge.CpuPinning;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The analytics lab: sustained ingest with windows and sketches on ({@link IngestRun}), window and event-to-pixel
 * freshness ({@link PixelRun}), late and out-of-order events against an exact replay ({@link ReplayCheck}), and the
 * historical queries over a loaded history with the batch recompute ({@link HistoryRun}); then
 * {@link AnalyticsChecks} and {@link AnalyticsLabReport}. The pipeline runs in this JVM, pinned to one CPU, and the
 * generator in a process of its own on the other.
 */
public final class AnalyticsLab {
    private AnalyticsLab() {
    }

    public static LabOutcome<AnalyticsLabResult> run(AnalyticsLabOptions options, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        AnalyticsLabResult result = measure(options, ProgressLog.to(out));
        LabOutcome<AnalyticsLabResult> outcome = LabOutcome.since(started, result, AnalyticsChecks.of(result, options));
        AnalyticsLabReport.console(outcome, out);
        ReportFiles.write(result, options.json(), options.html(), file -> AnalyticsLabReport.html(outcome, options, file), out);
        return outcome;
    }

    /**
     * The streaming parts run pinned (this JVM on one CPU, the generator on the other); the replay and the history,
     * with no generator beside them, on every CPU — DuckDB runs its queries on all of them.
     */
    static AnalyticsLabResult measure(AnalyticsLabOptions o, ProgressLog progress) throws Exception {
        AnalyticsLabResult.Ingest ingest = null;
        AnalyticsLabResult.Freshness freshness = null;
        String pinned;
        try (CpuPinning pinning = CpuPinning.startServingHere()) {
            Histogram windows = null;
            if (o.runs(Phase.INGEST)) {
                IngestRun.Outcome run = IngestRun.run(o, pinning, progress);
                ingest = run.ingest();
                windows = run.windowFreshness();
            }
            if (o.runs(Phase.FRESHNESS)) {
                freshness = freshness(o, pinning, windows, progress);
            }
            pinned = pinning.describe() + " (ingest and freshness; the late check and the history on every CPU)";
        }
        AnalyticsLabResult.Late late = o.runs(Phase.LATE) ? late(o, progress) : null;
        AnalyticsLabResult.Historical historical = o.runs(Phase.HISTORICAL) ? HistoryRun.run(o, progress) : null;
        return new AnalyticsLabResult(ReportFiles.machine(), pinned, ingest, freshness, late, historical);
    }

    /** Windows from the ingest run when it ran (no browser beside it), else from the pixel run's stream. */
    private static AnalyticsLabResult.Freshness freshness(AnalyticsLabOptions o, CpuPinning pinning, Histogram fromIngest,
                                                          ProgressLog progress) throws Exception {
        PixelRun.Outcome pixel = PixelRun.run(o, pinning, o.screenshot(), progress);
        Histogram windows = fromIngest != null ? fromIngest : pixel.windowFreshness();
        Histogram p = pixel.pixelMillis();
        return new AnalyticsLabResult.Freshness(windows.getValueAtPercentile(50), windows.getValueAtPercentile(99), windows.getTotalCount(),
                Analytics.DEFAULT_OUT_OF_ORDERNESS.toMillis(), p == null ? null : (double) p.getValueAtPercentile(50),
                p == null ? null : (double) p.getValueAtPercentile(99), p == null ? 0 : (int) p.getTotalCount(), pixel.note());
    }

    private static AnalyticsLabResult.Late late(AnalyticsLabOptions o, ProgressLog progress) {
        int events = o.quick() ? 20_000 : 500_000;
        progress.line(String.format("late: %,d events from 3 sources, up to 300 ms out of order, 5 %% late by up to 2.5 s, against an exact replay",
                events));
        ReplayCheck.Outcome r = ReplayCheck.run(new DisorderedStream(o.seed(), 3, 32, 1_000, 10_000, 100, 20_000, 300, 0.05, 2_500)
                        .arrivals(1_800_000_000_000L, events),
                List.of(Analytics.SECOND, Analytics.TEN_SECONDS), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5));
        return new AnalyticsLabResult.Late(r.events(), r.counted(), r.late(), r.dropped(), r.windows(), r.mismatches(),
                r.countersMatch() && r.mismatches() == 0);
    }
}
