package dev.headroom.experiments.data;

import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.edge.EdgeChecks;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The data lab: read scaling with 0, 1, 2 replicas ({@link ReadScalingExperiment}), replication lag under write
 * load ({@link LagExperiment}), read-your-writes across two nodes with and without tokens
 * ({@link ReadYourWritesExperiment}), and a replica killed and one frozen under load
 * ({@link ReplicaFailureExperiment}); then {@link DataChecks} and {@link DataLabReport}. All run on one set of
 * servers of their own ({@link DataRig}), stopped and deleted at the end.
 */
public final class DataLab {
    private DataLab() {
    }


    /** Runs every experiment, printing progress, then the summary and checks, to {@code out}; writes the files the options name. */
    public static LabOutcome<DataLabResult> run(DataLabOptions options, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        DataLabResult result = measure(options, ProgressLog.to(out));
        LabOutcome<DataLabResult> outcome = LabOutcome.since(started, result, DataChecks.of(result));
        DataLabReport.console(outcome, options, out);
        ReportFiles.write(result, options.json(), options.html(), file -> DataLabReport.html(outcome, options, file), out);
        return outcome;
    }

    static DataLabResult measure(DataLabOptions o, ProgressLog progress) throws Exception {
        try (DataRig rig = DataRig.start(o, progress)) {
            List<DataLabResult.ScalingPoint> scaling = ReadScalingExperiment.run(rig);
            Map<String, DataLabResult.Lag> lag = LagExperiment.run(rig);
            DataLabResult.ReadYourWrites ryw = ReadYourWritesExperiment.run(rig);
            ReplicaFailureExperiment.Outcome failure = ReplicaFailureExperiment.run(rig);
            return new DataLabResult(scaling, lag, ryw, failure.kill(), failure.freeze());
        }
    }
}
