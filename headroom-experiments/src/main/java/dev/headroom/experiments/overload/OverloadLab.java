package dev.headroom.experiments.overload;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.edge.EdgeChecks;
import java.io.PrintWriter;
import java.util.List;

/**
 * The overload lab: each mechanism of stability under pressure measured with and without it, in the same run, the
 * generator on one CPU and the system under test on the other.
 */
public final class OverloadLab {
    private OverloadLab() {
    }

    public record Outcome(OverloadLabResult result, List<EdgeChecks.Check> checks, double elapsedSeconds) {
        public boolean passed() {
            return checks.stream().allMatch(EdgeChecks.Check::passed);
        }
    }

    public static Outcome run(OverloadLabOptions options, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        OverloadLabResult result = measure(options, ProgressLog.to(out));
        Outcome outcome = new Outcome(result, OverloadChecks.of(result), (System.nanoTime() - started) / 1e9);
        OverloadLabReport.console(outcome, out);
        if (options.json() != null) {
            ReportFiles.json(result, options.json());
            out.println("wrote " + options.json());
        }
        if (options.html() != null) {
            OverloadLabReport.html(outcome, options, options.html());
            out.println("wrote " + options.html());
        }
        out.flush();
        return outcome;
    }

    static OverloadLabResult measure(OverloadLabOptions o, ProgressLog progress) throws Exception {
        try (OverloadRig rig = OverloadRig.start(o, progress)) {
            return new OverloadLabResult(rig.pinningDescription(),
                    o.runs(Experiment.OVERLOAD) ? OverloadExperiment.run(rig) : null,
                    o.runs(Experiment.RETRY_STORM) ? RetryStormExperiment.run(rig) : null,
                    o.runs(Experiment.HEDGING) ? HedgingExperiment.run(rig) : null,
                    o.runs(Experiment.BULKHEAD) ? BulkheadExperiment.run(rig) : null,
                    o.runs(Experiment.RATE_LIMIT) ? RateLimitExperiment.run(rig) : null,
                    o.runs(Experiment.DEADLINES) ? DeadlinesExperiment.run(rig) : null);
        }
    }
}
