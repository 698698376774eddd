package dev.headroom.experiments.faults;

import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.edge.FailoverWorkload;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The fault lab: one rig ({@link FaultRig}: PostgreSQL and Redis supervised, shop nodes behind the edge), then each
 * chosen {@link Fault} in turn under the same open-model load ({@link FaultRun}), the servers let become healthy
 * between two; then {@link FaultsChecks} and {@link FaultsLabReport}. Everything is stopped and deleted at the end.
 */
public final class FaultsLab {
    private FaultsLab() {
    }

    /** Runs the faults, printing progress, then the summary and checks, to {@code out}; writes the files the options name. */
    public static LabOutcome<FaultsLabResult> run(FaultsLabOptions options, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        FaultsLabResult result = measure(options, ProgressLog.to(out));
        LabOutcome<FaultsLabResult> outcome = LabOutcome.since(started, result, FaultsChecks.of(result));
        FaultsLabReport.console(outcome, out);
        ReportFiles.write(result, options.json(), options.html(), file -> FaultsLabReport.html(outcome, file), out);
        return outcome;
    }

    static FaultsLabResult measure(FaultsLabOptions o, ProgressLog progress) throws Exception {
        String machine = ReportFiles.machine(); // before the pinning leaves this JVM one CPU
        try (FaultRig rig = FaultRig.start(o, progress)) {
            boolean rehearse = !o.quick(); // a smoke test's numbers need no warm generator
            if (!o.warmup().isZero()) {
                warm(rig, progress);
                rehearse = false;
            }
            List<FaultsLabResult.FaultResult> faults = new ArrayList<>();
            int ordinal = 0;
            for (Fault f : o.ordered()) {
                rig.awaitHealthy();
                faults.add(FaultRun.run(rig, f.experiment(), ++ordinal, rehearse, progress));
                rehearse = false;
            }
            return new FaultsLabResult(o.quick(), o.rate(), o.sloP99Ms(), FaultsLabOptions.SLO_MAX_ERROR_SHARE, FaultsLabOptions.BUCKET.toMillis(),
                    o.sustain().toMillis(), o.nodes(), o.steady().toMillis(), o.recovery().toMillis(), o.seed(), rig.pinningDescription(), machine,
                    faults);
        }
    }

    /** The nodes' and the edge's JITs warmed at the lab's rate and mix; not measured, its orders not checked. */
    private static void warm(FaultRig rig, ProgressLog progress) throws Exception {
        FaultsLabOptions o = rig.options();
        FailoverWorkload orders = new FailoverWorkload("fault-warmup", 1.0, o.data().products(), o.data().users(), o.seed());
        FaultWorkload load = new FaultWorkload(orders, o.data().products(), o.data().users(), o.seed() + 1, new Timeline());
        try (FaultRig.RunningEdge edge = rig.startEdge()) {
            LoadRun.open(URI.create(rig.edgeUrl()), Schedules.poisson(Stages.constant(o.rate(), o.warmup().toMillis() / 1000.0), o.seed() + 2), load)
                    .connections(FaultRun.CONNECTIONS).timeout(FaultRun.TIMEOUT).run();
        }
        progress.line(String.format("warm-up: %.0f/s for %s, not measured", o.rate(), ProgressLog.seconds(o.warmup())));
    }
}
