package dev.headroom.cli;

import dev.headroom.experiments.ReportFiles;
import dev.headroom.lab.sweep.SweepReport;
import dev.headroom.lab.sweep.SweepPoint;
import dev.headroom.lab.sweep.SweepResult;
import dev.headroom.lab.sweep.ThroughputSweep;
import dev.headroom.lab.usl.UslCsv;
import dev.headroom.lab.usl.UslFit;
import dev.headroom.lab.usl.UslFitter;
import dev.headroom.lab.usl.UslPlot;
import dev.headroom.lab.schedule.Durations;
import dev.headroom.lab.slo.ExitCodes;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code headroom lab throughput}: a closed-model concurrency sweep of any HTTP target and the USL fitted to it. */
@Command(name = "throughput",
        mixinStandardHelpOptions = true,
        description = {
                "Sweeps concurrency against a URL or a scenario and fits the Universal Scalability Law.",
                "",
                "Runs the closed model (N connections, each sending its next request when the last is answered) at 1, 2, 4, … "
                        + "connections up to --max-concurrency (or the --levels given), each level warmed up and measured on its own, "
                        + "until throughput falls for two levels in a row, a level is invalid, or the next level would pass the "
                        + "descriptor limit (ulimit -n). Then fits X(N) = λN / (1 + σ(N−1) + κN(N−1)) to the valid levels by "
                        + "least squares with σ, κ, λ ≥ 0, with 95%% bootstrap intervals: σ is contention, κ coherency, λ one "
                        + "client's rate, N* = √((1−σ)/κ) the concurrency of peak throughput X_max.",
                "",
                "Little's law: where the target serves Prometheus metrics (ORIGIN/metrics, or --metrics), each level compares "
                        + "the server's own mean count of requests in flight with N; more than 10%% apart is flagged, and the gap is "
                        + "time spent outside the server. The count is read from a _sum metric as its growth per second (the "
                        + "shop's http_server_requests_seconds_sum: the seconds its requests took, per second, is the time-average "
                        + "in flight) or, from any other metric, as a sampled gauge (e.g. http_server_requests_inflight; biased low "
                        + "on an event-loop server, whose loop answers the scrape only when it runs no request).",
                "",
                "Nothing is started: run the target first (e.g. ./headroom up). On one machine, give the generator and the "
                        + "target a core each (taskset -c 0 / -c 1) so that neither measures the other.",
                "",
                "With --fit FILE.csv nothing is run: the rows 'concurrency,throughput' of FILE are fitted (--csv writes that "
                        + "file from a sweep).",
                "",
                "Exit codes: 0 a model was fitted (a last level that failed is reported as the limit that stopped the sweep); "
                        + "3 fewer than three levels were valid, nothing to fit; 2 usage error."},
        footer = {"", "Examples:",
                "  headroom lab throughput http://127.0.0.1:8080/products/7 --json sweep.json --html sweep.html",
                "  headroom lab throughput --scenario shop.scenario --max-concurrency 256 --svg sweep.svg",
                "  headroom lab throughput http://127.0.0.1:8081/ --levels 1,10,100,1000,10000 --duration 5s",
                "  headroom lab throughput --fit points.csv --json fit.json --svg fit.svg"})
final class ThroughputLabCommand implements Callable<Integer> {
    static final String DEFAULT_INFLIGHT_METRIC = "http_server_requests_seconds_sum";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "URL", description = "Target, e.g. http://127.0.0.1:8080/path. With --scenario: the origin only.")
    String url;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Send the weighted mix of FILE (see docs/scenarios.md) instead of one URL.")
    Path scenario;

    @Option(names = {"--header", "-H"}, paramLabel = "'NAME: VALUE'", description = "Request header (repeatable); with --scenario "
            + "sent with every request, replacing the file's header of that name.")
    List<String> headers = new java.util.ArrayList<>();

    @Option(names = "--fit", paramLabel = "FILE.csv", description = "Fit the rows 'concurrency,throughput' of FILE; runs nothing.")
    Path fit;

    @Option(names = "--max-concurrency", paramLabel = "N", description = "Doubling levels 1, 2, 4, … up to N. Default: ${DEFAULT-VALUE}.")
    int maxConcurrency = ThroughputSweep.DEFAULT_MAX_CONCURRENCY;

    @Option(names = "--levels", paramLabel = "LIST", description = "The levels to run instead, increasing, e.g. 1,10,100,1000,10000; all of them run, falls or not.")
    String levels;

    @Option(names = "--duration", paramLabel = "TIME", description = "Measured time per level. Default: ${DEFAULT-VALUE}.")
    String duration = ThroughputSweep.DEFAULT_DURATION.toSeconds() + "s";

    @Option(names = "--warmup", paramLabel = "TIME", description = "Unmeasured time per level, after its connections are open. Default: ${DEFAULT-VALUE}.")
    String warmup = ThroughputSweep.DEFAULT_WARMUP.toSeconds() + "s";

    @Option(names = "--timeout", paramLabel = "TIME", description = "A request unanswered this long is a timeout. Default: ${DEFAULT-VALUE}.")
    String timeout = "10s";

    @Option(names = "--metrics", paramLabel = "URL", description = "Where the server's Prometheus text is. Default: the target's origin + /metrics.")
    String metrics;

    @Option(names = "--inflight-metric", paramLabel = "NAME", description = "The metric to read in flight from: a _sum of request seconds, or a gauge. Default: ${DEFAULT-VALUE}.")
    String inflightMetric = DEFAULT_INFLIGHT_METRIC;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the scenario's random choices. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the points and the fit as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML page: the plot, the coefficients, the points.")
    Path html;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write the plot (points, fitted curve, 95%% band) as SVG.")
    Path svg;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the valid points as 'concurrency,throughput' rows (the --fit format).")
    Path csv;

    @Override
    public Integer call() throws Exception {
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--html", html);
        ReportFiles.checkWritable("--svg", svg);
        ReportFiles.checkWritable("--csv", csv);
        PrintWriter out = spec.commandLine().getOut();
        PrintStream print = new PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8);
        if (fit != null) {
            return fitOnly(print);
        }
        ThroughputSweep.Builder sweep = sweep();
        SweepResult result = sweep.progress(line -> {
            out.println(line);
            out.flush();
        }).run();
        out.println("stopped: " + result.stoppedBecause());
        if (result.fit() == null) {
            out.println("no fit: fewer than three distinct valid levels");
        } else {
            SweepReport.print(result.fit(), print);
        }
        long flagged = result.points().stream().filter(SweepPoint::littleFlagged).count();
        if (flagged > 0) {
            out.printf("Little's law: %d of %d levels have the server's in-flight count more than 10%% off N%n", flagged, result.points().size());
        }
        out.flush();
        if (json != null) {
            SweepReport.writeJson(result, json);
        }
        if (csv != null) {
            SweepReport.writeCsv(result, csv);
        }
        if (result.fit() != null) {
            String title = "throughput sweep of " + result.target();
            writePlots(result.fit(), title, () -> SweepReport.html(result, title));
        }
        return result.fit() != null ? 0 : ExitCodes.INVALID;
    }

    private int fitOnly(PrintStream print) throws Exception {
        if (url != null || scenario != null || levels != null) {
            throw new IllegalArgumentException("--fit runs nothing: give it without a URL, --scenario or --levels");
        }
        if (csv != null) {
            throw new IllegalArgumentException("--csv writes a sweep's points; with --fit they are in " + fit + " already");
        }
        UslFit result = Flags.check("--fit", () -> {
            try {
                return UslFitter.fit(UslCsv.read(fit));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read " + fit + ": " + e.getMessage(), e);
            }
        });
        SweepReport.print(result, print);
        if (json != null) {
            SweepReport.writeJson(result, fit.toString(), json);
        }
        String title = "USL fit of " + fit.getFileName();
        writePlots(result, title, () -> UslPlot.html(result, title));
        return 0;
    }

    private void writePlots(UslFit result, String title, java.util.function.Supplier<String> page) throws java.io.IOException {
        if (svg != null) {
            Files.writeString(svg, UslPlot.svg(result, title));
        }
        if (html != null) {
            Files.writeString(html, page.get());
        }
    }

    /** Every flag checked before anything is sent. */
    ThroughputSweep.Builder sweep() throws java.io.IOException {
        Duration measured = Flags.check("--duration", () -> Durations.parse(duration));
        Duration warm = Flags.check("--warmup", () -> Durations.parse(warmup));
        Duration wait = Flags.check("--timeout", () -> Durations.parse(timeout));
        RequestTarget target = scenario != null ? RequestTarget.scenario(scenario, url, seed, headers) : RequestTarget.url(url, "GET", headers, null);
        ThroughputSweep.Builder sweep = ThroughputSweep.of(target.base(), target.workloads().get());
        if (levels != null) {
            List<Integer> list = Flags.check("--levels", () -> Arrays.stream(levels.split(",")).map(String::trim).map(s -> {
                try {
                    return Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be whole numbers separated by commas, was '" + levels + "'");
                }
            }).toList());
            Flags.check("--levels", () -> sweep.levels(list));
        } else {
            Flags.check("--max-concurrency", () -> sweep.maxConcurrency(maxConcurrency));
        }
        Flags.check("--duration", () -> sweep.duration(measured));
        Flags.check("--warmup", () -> sweep.warmup(warm));
        Flags.check("--timeout", () -> sweep.timeout(wait));
        URI base = target.base();
        URI metricsUrl = Flags.check("--metrics", () -> metrics != null ? URI.create(metrics)
                : URI.create(base.getScheme() + "://" + base.getRawAuthority() + "/metrics"));
        if (inflightMetric.isBlank() || !inflightMetric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("--inflight-metric must be a Prometheus metric name, was '" + inflightMetric + "'");
        }
        return sweep.inflightGauge(metricsUrl, inflightMetric);
    }
}
