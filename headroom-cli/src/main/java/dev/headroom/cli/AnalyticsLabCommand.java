package dev.headroom.cli;

import dev.headroom.experiments.analytics.AnalyticsLab;
import dev.headroom.experiments.analytics.AnalyticsLabOptions;
import dev.headroom.experiments.analytics.Phase;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab analytics}: real-time analytics measured — ingest rate, freshness, late events, history. */
@Command(name = "analytics",
        mixinStandardHelpOptions = true,
        description = {
                "Measures real-time analytics: ingest rate, freshness, late events and historical queries.",
                "",
                "The pipeline (ingest, event-time windows with watermarks, sketches, rollups in DuckDB, the live dashboard) runs in this "
                        + "JVM on one CPU, a clickstream generator in a process of its own on the other (taskset).",
                "",
                "ingest: the generator offers --rate events/s as binary frames over TCP for a 10 s warm-up and --seconds more; the "
                        + "events/s the engine took over those seconds (parsing included, 1 s and 10 s/1 s windows with HLL, KLL and "
                        + "frequent-items sketches on), and every event sent accounted for as counted, late or dropped.",
                "freshness: each 1 s window's end to its final result; and event to pixel: orders posted to /events while the "
                        + "stream runs, timed until the dashboard in headless Chromium shows them.",
                "late: a seeded stream out of order and late through the engine against an exact replay of the same rules.",
                "historical: --history-events raw events over 30 days loaded into DuckDB and rolled up; four named queries timed on "
                        + "rollups and on raw events; a past range through the real-time path recomputed from its raw events.",
                "",
                "Checks: >= 1,000,000 events/s with every event accounted for; event to pixel p99 < 2 s; the replay exact; queries on "
                        + "raw events < 1 s and on rollups p99 < 100 ms over >= 100M events; the recompute equal to the real-time rollups. "
                        + "Exit code 0 when all pass, 1 otherwise, 2 on a bad flag. Takes about 6 minutes and 3 GB of temporary disk; "
                        + "--quick under one (a smoke test, not a measurement)."},
        footer = {"", "Examples:",
                "  headroom lab analytics",
                "  headroom lab analytics --json analytics-lab.json --html analytics-lab.html --screenshot dashboard.png",
                "  headroom lab analytics --experiments ingest --rate 1500000 --seconds 30",
                "  headroom lab analytics --quick"})
final class AnalyticsLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Small sizes and short runs: a smoke test (CI), not a measurement.")
    boolean quick;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the clickstreams and the history. Default: ${DEFAULT-VALUE}.")
    long seed = AnalyticsLabOptions.DEFAULT_SEED;

    @Option(names = "--experiments", paramLabel = "LIST",
            description = "Which to run, comma-separated, among ingest, freshness, late, historical. Default: all.")
    String experiments;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S", description = "Events per second the generator offers. Default: 1100000, the goal and 10 %% (--quick: 100000).")
    Long rate;

    @Option(names = "--seconds", paramLabel = "N", description = "Measured seconds of the ingest run, after its warm-up. Default: 60 (--quick: 3).")
    Integer seconds;

    @Option(names = "--history-events", paramLabel = "N", description = "Raw events in the history. Default: 100000000 (--quick: 500000).")
    Long historyEvents;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "Also write a PNG of the dashboard as the stream fills it (before the pixel probes).")
    Path screenshot;

    @Mixin
    ReportFileOptions files = new ReportFileOptions();

    @Override
    public Integer call() throws Exception {
        return AnalyticsLab.run(options(), spec.commandLine().getOut()).passed() ? 0 : Headroom.FAILED;
    }

    /** The flags as the lab's options; every value checked, a bad one named. */
    AnalyticsLabOptions options() {
        Set<Phase> chosen = experiments == null ? Phase.all() : Flags.check("--experiments", () -> Phase.parseList(experiments));
        return AnalyticsLabOptions.of(quick, seed, chosen, rate, seconds, historyEvents, files.json, files.html, screenshot);
    }
}
