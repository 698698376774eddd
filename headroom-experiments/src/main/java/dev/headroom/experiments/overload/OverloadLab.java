package dev.headroom.experiments.overload;

import dev.headroom.experiments.LabOutcome;
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


    public static LabOutcome<OverloadLabResult> run(OverloadLabOptions options, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        OverloadLabResult result = measure(options, ProgressLog.to(out));
        LabOutcome<OverloadLabResult> outcome = LabOutcome.since(started, result, OverloadChecks.of(result));
        OverloadLabReport.console(outcome, out);
        ReportFiles.write(result, options.json(), options.html(), file -> OverloadLabReport.html(outcome, options, file), out);
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
