package dev.headroom.cli;

import dev.headroom.lab.report.ConsoleReport;
import dev.headroom.lab.report.HtmlReport;
import dev.headroom.lab.report.JsonReport;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.Progress;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.scenario.Scenario;
import dev.headroom.lab.schedule.Durations;
import dev.headroom.lab.schedule.Schedule;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.lab.slo.ExitCodes;
import dev.headroom.lab.slo.Slo;
import dev.headroom.lab.slo.SloResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code headroom load}: drive any HTTP service and measure it right. */
@Command(name = "load",
        mixinStandardHelpOptions = true,
        subcommands = SelfTestCommand.class,
        description = {
                "Sends HTTP load and reports latency corrected for coordinated omission.",
                "",
                "Sends HTTP load at a planned rate (open model, the default) or with N connections each one request "
                        + "in flight (closed model, --concurrency) and reports latency from each request's INTENDED send time, "
                        + "so a stalled server cannot hide its stall (coordinated omission). Uncorrected latency is shown beside it.",
                "",
                "Exit codes: 0 all SLOs pass; 1 an SLO failed; 3 the run is invalid (the generator could not deliver "
                        + "the plan: see the reasons); 2 usage error. The JSON result is written in every case but 2."},
        footer = {"", "Examples:",
                "  headroom load --rate 2000 --duration 30s http://127.0.0.1:8080/products/7",
                "  headroom load --rate 5000 --arrivals poisson --slo 'p99<10ms' --slo 'errors<0.1%%' --html report.html URL",
                "  headroom load --stages '0->5000/30s,5000/60s,20000/5s,5000/30s' --html report.html URL",
                "  headroom load --concurrency 64 --duration 20s URL        (maximum throughput, closed model)",
                "  headroom load --scenario shop.scenario --rate 500 --html report.html",
                "  headroom load selftest"})
final class LoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "URL", description = "Target, e.g. http://127.0.0.1:8080/path. With --scenario: the origin only (overrides the file's base).")
    String url;

    @Option(names = "--scenario", paramLabel = "FILE", description = "Send a weighted mix of requests and journeys described in FILE (see docs/scenarios.md) instead of one URL.")
    Path scenario;

    @Option(names = "--rate", paramLabel = "N", description = "Open model: requests per second.")
    Double rate;

    @Option(names = "--arrivals", paramLabel = "KIND", description = "uniform (evenly spaced) or poisson (random, memoryless). Default: ${DEFAULT-VALUE}.")
    String arrivals = "uniform";

    @Option(names = "--stages", paramLabel = "PLAN", description = "Open model rate plan instead of --rate/--duration, e.g. '0->5000/30s,5000/60s,20000/5s,5000/30s'.")
    String stages;

    @Option(names = "--concurrency", paramLabel = "N", description = "Closed model: N connections, each sending its next request when the last is answered.")
    Integer concurrency;

    @Option(names = "--duration", paramLabel = "TIME", description = "How long to measure (after warm-up). Default: ${DEFAULT-VALUE}.")
    String duration = "30s";

    @Option(names = "--warmup", paramLabel = "TIME", description = "Unmeasured time at the start; in the open model the rate ramps up from 0 over its first half and holds for the second. Default: ${DEFAULT-VALUE}.")
    String warmup = "0s";

    @Option(names = "--connections", paramLabel = "N", description = "Open model: connections to keep open. Default: ${DEFAULT-VALUE}.")
    int connections = LoadRun.DEFAULT_CONNECTIONS;

    @Option(names = "--timeout", paramLabel = "TIME", description = "A request unanswered this long (from its intended send) is a timeout. Default: ${DEFAULT-VALUE}.")
    String timeout = "10s";

    @Option(names = "--method", paramLabel = "METHOD", description = "HTTP method. Default: GET.")
    String method;

    @Option(names = {"--header", "-H"}, paramLabel = "'NAME: VALUE'", description = "Request header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--body", paramLabel = "TEXT", description = "Request body.")
    String body;

    @Option(names = "--body-file", paramLabel = "FILE", description = "Request body from a file.")
    Path bodyFile;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for Poisson arrivals and the scenario's random choices. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--slo", paramLabel = "EXPR", description = "A gate (repeatable): p99<10ms, p99.9<50ms, errors<0.1%%, rate>=95%%, p99[10s]<20ms (every 10 s window).")
    List<String> slos = new ArrayList<>();

    @Option(names = "--abort-on-fail", description = "Stop as soon as a windowed SLO or an error-count SLO has failed.")
    boolean abortOnFail;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report with charts (opens offline).")
    Path html;

    @Option(names = "--hdr-log", paramLabel = "FILE", description = "Write an HdrHistogram interval log (corrected latency, one interval per second).")
    Path hdrLog;

    @Option(names = {"--quiet", "-q"}, description = "No live progress line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan = plan();
        LoadRun.Builder run = plan.builder();
        run.timeout(plan.timeout);
        if (hdrLog != null) {
            run.hdrLog(hdrLog);
        }
        if (!quiet) {
            boolean tty = System.console() != null;
            run.progress(p -> progress(err, p, tty));
        }
        if (abortOnFail && !plan.slos.isEmpty()) {
            run.abortWhen(intervals -> plan.slos.stream().anyMatch(s -> s.failsAlready(intervals)));
        }
        err.printf("headroom load: %s, %s%n", plan.describe, plan.target);
        err.flush();
        RunResult result = run.run();
        if (!quiet && System.console() != null) {
            err.println();
        }
        List<SloResult> verdicts = plan.slos.stream().map(s -> s.evaluate(result)).toList();
        ConsoleReport.print(result, verdicts, new java.io.PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8));
        out.flush();
        if (json != null) {
            JsonReport.write(result, verdicts, json);
        }
        if (html != null) {
            HtmlReport.write(result, verdicts, html);
        }
        return ExitCodes.of(result, verdicts);
    }

    private static void progress(PrintWriter err, Progress p, boolean tty) {
        String line = p.last() == null
                ? String.format("warming up: %.0fs left, in flight %d", -p.elapsedSeconds(), p.inFlight())
                : String.format("t=%.0fs rate=%.0f/s p99=%.2fms errors=%d inflight=%d queued=%d",
                        p.elapsedSeconds(), p.last().rate(), p.p99Ms(), p.errors(), p.inFlight(), p.queued());
        if (tty) {
            err.print("\r" + line + "\u001b[K");
        } else if (p.last() == null || Math.round(p.elapsedSeconds()) % 5 == 0) {
            err.println(line);
        }
        err.flush();
    }

    /** Everything validated, before anything is sent. */
    private record Plan(LoadRun.Builder builder, Duration timeout, List<Slo> slos, String describe, String target) {
    }

    private Plan plan() throws IOException {
        if (concurrency != null && (rate != null || stages != null)) {
            throw new IllegalArgumentException("--concurrency (closed model) cannot be combined with --rate or --stages (open model)");
        }
        if (concurrency == null && rate == null && stages == null) {
            throw new IllegalArgumentException("give --rate N (open model), --stages PLAN, or --concurrency N (closed model)");
        }
        if (stages != null && rate != null) {
            throw new IllegalArgumentException("--stages replaces --rate; give one of them");
        }
        if (body != null && bodyFile != null) {
            throw new IllegalArgumentException("give --body or --body-file, not both");
        }
        if (rate != null && !(rate > 0)) {
            throw new IllegalArgumentException("--rate must be positive, was " + rate);
        }
        Duration measured = Flags.check("--duration", () -> Durations.parse(duration));
        Duration warm = Flags.check("--warmup", () -> Durations.parse(warmup));
        Duration wait = Flags.check("--timeout", () -> Durations.parse(timeout));
        List<Slo> gates = new ArrayList<>();
        for (String s : slos) {
            gates.add(Flags.check("--slo", () -> Slo.parse(s)));
        }

        Target t = scenario != null ? scenarioTarget() : urlTarget();
        URI base = t.base;
        Workload workload = t.workload;
        String target = t.describe;
        LoadRun.Builder builder;
        String describe;
        if (concurrency != null) {
            builder = Flags.check("--concurrency", () -> LoadRun.closed(base, concurrency, measured, workload)).warmup(warm);
            describe = String.format("closed model, %d connections, %s (+%s warm-up)", concurrency, duration, warmup);
        } else {
            Stages plan = stages != null ? Flags.check("--stages", () -> Stages.parse(stages))
                    : Stages.constant(rate, measured.toNanos() / 1e9);
            Stages withWarmup = warm.isZero() ? plan : plan.withWarmup(warm.toNanos() / 1e9);
            Schedule schedule = switch (arrivals.toLowerCase(java.util.Locale.ROOT)) {
                case "uniform" -> Schedules.uniform(withWarmup);
                case "poisson" -> Schedules.poisson(withWarmup, seed);
                default -> throw new IllegalArgumentException("--arrivals must be uniform or poisson, was '" + arrivals + "'");
            };
            builder = Flags.check("URL", () -> LoadRun.open(base, schedule, workload)).warmup(warm);
            LoadRun.Builder b = builder;
            Flags.check("--connections", () -> b.connections(connections));
            describe = String.format("open model, %s arrivals, %s, %d connections", arrivals,
                    stages != null ? "stages " + stages : String.format("%.0f/s for %s", rate, duration) + (warm.isZero() ? "" : " (+" + warmup + " warm-up)"),
                    connections);
        }
        return new Plan(builder, wait, gates, describe, target);
    }


    private record Target(URI base, Workload workload, String describe) {
    }

    private Target urlTarget() throws IOException {
        if (url == null) {
            throw new IllegalArgumentException("give the target URL, e.g. http://127.0.0.1:8080/path, or --scenario FILE");
        }
        URI uri = Flags.check("URL", () -> URI.create(url));
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        byte[] bytes = bodyFile != null ? Files.readAllBytes(bodyFile) : body != null ? body.getBytes(StandardCharsets.UTF_8) : null;
        List<Map.Entry<String, String>> hs = new ArrayList<>();
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("--header must look like 'Name: value', was '" + h + "'");
            }
            hs.add(Map.entry(h.substring(0, colon).trim(), h.substring(colon + 1).trim()));
        }
        String m = method == null ? "GET" : method.toUpperCase(java.util.Locale.ROOT);
        if (!m.matches("[A-Z]+")) {
            throw new IllegalArgumentException("--method must be an HTTP method like GET or POST, was '" + method + "'");
        }
        return new Target(uri, Workload.of(new RequestSpec(m + " " + path, m, path, hs, bytes)), m + " " + url);
    }

    private Target scenarioTarget() throws IOException {
        if (method != null || body != null || bodyFile != null || !headers.isEmpty()) {
            throw new IllegalArgumentException("--method, --header, --body and --body-file describe a single request;"
                    + " with --scenario, write them in the scenario file");
        }
        Scenario s = Scenario.load(scenario); // its errors name the file and line already
        URI base;
        if (url != null) {
            base = Flags.check("URL", () -> URI.create(url));
            if (!Scenario.isOrigin(base)) {
                throw new IllegalArgumentException("with --scenario the URL is the origin only (e.g. http://127.0.0.1:8080); paths come from the file, was '" + url + "'");
            }
        } else {
            base = s.base().orElseThrow(() -> new IllegalArgumentException(
                    "the scenario has no 'base URL' line: add one, or give the origin, e.g. http://127.0.0.1:8080"));
        }
        return new Target(base, s.workload(seed), "scenario " + s.describe() + " at " + base);
    }

    /** Lets the console report, which prints to a PrintStream, write through picocli's writer. */
    private static final class WriterStream extends java.io.OutputStream {
        private final PrintWriter writer;

        WriterStream(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public void write(int b) {
            writer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writer.write(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public void flush() {
            writer.flush();
        }
    }
}
