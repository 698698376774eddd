package dev.headroom.experiments.edge;

import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The edge lab: what the Headroom edge costs against nginx and HAProxy ({@link ProxyCostExperiment}), how each
 * balancing algorithm copes with one slow node of three ({@link SlowNodeExperiment}), a node killed under load
 * ({@link FailoverExperiment}) and capacity as nodes are added ({@link ScaleOutExperiment}); then
 * {@link EdgeChecks} and {@link EdgeLabReport}. The servers run in a scratch folder, removed at the end.
 */
public final class EdgeLab {
    /** The edge's one cluster, in every experiment. */
    static final String CLUSTER = "lab";
    /**
     * 60 s runs at a fixed 200 requests/s, a fifth of them keyed POST /orders: the closed-model probe of three
     * fresh nodes measured only 73 to 160/s here (p99 1.7 s), too low a base for "half the maximum".
     */
    static final FailoverExperiment.Settings FAILOVER = FailoverExperiment.Settings.defaults().withRate(200.0);
    /**
     * I/O-bound nodes, as real ones are: PostgreSQL 3 ms away and one connection per node, so one node serves a few
     * hundred requests a second and four stay below what the two cores can do (at 1 ms and pools of 4, one node
     * already used the CPU: 1,875/s, and more nodes only shared it).
     */
    static final ScaleOutExperiment.Settings SCALE_OUT = ScaleOutExperiment.Settings.defaults().withDatabase(Duration.ofMillis(3), 1);

    private EdgeLab() {
    }


    /**
     * What the experiments measured, each null when not run: the result's parts, and for the report each target's
     * and algorithm's rounds and the notes.
     */
    record Details(ProxyCostExperiment.Run proxyCost, SlowNodeExperiment.Run slowNode, EdgeLabResult.Failover failover,
                   List<EdgeLabResult.ScaleOutPoint> scaleOut, EdgeLabResult.ScaleFit scaleFit) { }

    /**
     * Runs the experiments the options name, printing progress, then the table and checks, to {@code out}; writes
     * the JSON and HTML files the options name.
     */
    public static LabOutcome<EdgeLabResult> run(EdgeLabOptions options, PrintWriter out) throws Exception {
        long started = System.nanoTime();
        return report(options, measure(options, ProgressLog.to(out)), started, out);
    }

    /** The result of {@code details}, its checks, the table on {@code out} and the files; {@code started} a {@link System#nanoTime()}. */
    static LabOutcome<EdgeLabResult> report(EdgeLabOptions options, Details details, long started, PrintWriter out) throws IOException {
        EdgeLabResult result = new EdgeLabResult(details.proxyCost() == null ? null : details.proxyCost().result(),
                details.slowNode() == null ? null : details.slowNode().result(), details.failover(), details.scaleOut(), details.scaleFit());
        LabOutcome<EdgeLabResult> outcome = LabOutcome.since(started, result, EdgeChecks.of(details));
        EdgeLabReport.console(outcome, details, out);
        ReportFiles.write(result, options.json(), options.html(), file -> EdgeLabReport.html(outcome, details, options, file), out);
        return outcome;
    }

    static Details measure(EdgeLabOptions o, ProgressLog progress) throws Exception {
        Path folder = Files.createTempDirectory("headroom-edge-lab-");
        try {
            Generator generator = new Generator(o.seed());
            ProxyCostExperiment.Run proxyCost = null;
            SlowNodeExperiment.Run slowNode = null;
            if (o.experiments().contains(Experiment.PROXY_COST)) {
                progress.line("proxy cost: the Headroom edge, nginx proxy_pass and HAProxy in front of one nginx return-200 backend, and the backend direct");
                proxyCost = ProxyCostExperiment.run(o, generator, folder, progress, ci());
            }
            if (o.experiments().contains(Experiment.SLOW_NODE)) {
                slowNode = SlowNodeExperiment.run(o, generator, folder, progress);
            }
            EdgeLabResult.Failover failover = null;
            if (o.experiments().contains(Experiment.FAILOVER)) {
                failover = FailoverExperiment.run(FAILOVER, progress);
            }
            List<EdgeLabResult.ScaleOutPoint> scaleOut = null;
            EdgeLabResult.ScaleFit scaleFit = null;
            if (o.experiments().contains(Experiment.SCALE_OUT)) {
                ScaleOutExperiment.Result r = ScaleOutExperiment.run(SCALE_OUT, progress);
                scaleOut = r.points();
                scaleFit = r.fit();
            }
            return new Details(proxyCost, slowNode, failover, scaleOut, scaleFit);
        } finally {
            deleteQuietly(folder);
        }
    }


    /** CI=true: a missing tool fails the lab instead of being skipped. */
    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch folder left in the temp folder: harmless
        }
    }
}
