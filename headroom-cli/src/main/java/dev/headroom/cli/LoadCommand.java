package dev.headroom.cli;

import dev.headroom.lab.report.ConsoleReport;
import dev.headroom.lab.report.HtmlReport;
import dev.headroom.lab.report.JsonReport;
import dev.headroom.lab.regression.Comparison;
import dev.headroom.lab.regression.DelayServer;
import dev.headroom.lab.regression.RegressionGate;
import dev.headroom.lab.regression.RegressionReport;
import dev.headroom.lab.regression.Rounds;
import dev.headroom.lab.regression.RunResults;
import dev.headroom.lab.regression.StoredReference;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.Progress;
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
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code headroom load}: drive any HTTP service and measure it right. */
@Command(name = "load",
        mixinStandardHelpOptions = true,
        subcommands = {SelfTestCommand.class, LoadCommand.DelayServerCommand.class},
        description = {
                "Sends HTTP load and reports latency corrected for coordinated omission.",
                "",
                "Sends HTTP load at a planned rate (open model, the default) or with N connections each one request "
                        + "in flight (closed model, --concurrency) and reports latency from each request's INTENDED send time, "
                        + "so a stalled server cannot hide its stall (coordinated omission). Uncorrected latency is shown beside it.",
                "",
                "Regression gate (--baseline REF): compares p50 and p99 (and, in the closed model, throughput) with a "
                        + "reference. REF is the origin of a second server, e.g. http://127.0.0.1:8081 (the same paths go to it), "
                        + "measured in the same run: --rounds N rounds (even; default " + RegressionGate.DEFAULT_ROUNDS + "), the "
                        + "target first in odd rounds and the reference first in even ones, each run measuring --duration / N "
                        + "(plus --warmup, for every run), after a warm-up round that is not measured. Or REF is a JSON file "
                        + "written by --json: the target runs once for --duration, against that run's figures (a warning says "
                        + "why that is weaker). A figure regressed when "
                        + "the whole 95%% interval of its change (a paired bootstrap over rounds; over blocks of seconds for a "
                        + "file) is beyond --max-regression: one line per figure, 'regression: ...' or 'ok: ...'.",
                "",
                "Exit codes: 0 all SLOs pass (and no regression); 1 an SLO failed; 4 a figure regressed against --baseline; "
                        + "3 the run is invalid (the generator could not deliver the plan: see the reasons; with --baseline, any "
                        + "round's run of either side); 2 usage error. When several apply: 2, then 3, then 4, then 1. The JSON "
                        + "result is written in every case but 2."},
        footer = {"", "Examples:",
                "  headroom load --rate 2000 --duration 30s http://127.0.0.1:8080/products/7",
                "  headroom load --rate 5000 --arrivals poisson --slo 'p99<10ms' --slo 'errors<0.1%%' --html report.html URL",
                "  headroom load --stages '0->5000/30s,5000/60s,20000/5s,5000/30s' --html report.html URL",
                "  headroom load --concurrency 64 --duration 20s URL        (maximum throughput, closed model)",
                "  headroom load --scenario shop.scenario --rate 500 --html report.html",
                "  headroom load --rate 500 --duration 60s --baseline http://127.0.0.1:8081 --max-regression 10%% URL",
                "  headroom load --rate 500 --duration 30s --baseline before.json URL      (a stored reference: weaker)",
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

    @Option(names = {"--header", "-H"}, paramLabel = "'NAME: VALUE'", description = "Request header (repeatable). With --scenario: sent "
            + "with every request, replacing the file's header of that name, e.g. -H 'Authorization: Bearer TOKEN' for admin writes.")
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

    @Option(names = {"--quiet", "-q"}, description = "No live progress line (with --baseline: no line per round).")
    boolean quiet;

    @Option(names = "--baseline", paramLabel = "REF", description = "Gate on a regression against REF: the origin of a reference server (measured interleaved with the target), or a JSON file written by --json.")
    String baseline;

    @Option(names = "--max-regression", paramLabel = "PCT", description = "With --baseline: the largest change tolerated, such as 10%% (latency up, throughput down). Default: 10%%.")
    String maxRegression;

    @Option(names = "--rounds", paramLabel = "N", description = "With a reference server: interleaved rounds, an even number of at least 2. Default: " + RegressionGate.DEFAULT_ROUNDS + ".")
    Integer rounds;

    /** The warning a stored reference gets: its drift is outside the interval. */
    static final String STORED_WARNING = "warning: the reference was measured in another run; drift between runs (±15 % here) can pass for a regression";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Plan plan = plan();
        Gate gate = gate(plan);
        if (gate != null) {
            return gated(plan, gate, out, err);
        }
        LoadRun.Builder run = plan.runs().builder(plan.base(), plan.measured());
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

    /**
     * A run gated on a regression against {@code --baseline}: interleaved rounds against a reference server, or
     * one run against a stored result; then the target's report (its rounds pooled), one line per figure, and
     * the JSON with its {@code regression} object.
     */
    private int gated(Plan plan, Gate gate, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
        err.printf("headroom load: %s, %s%n", plan.describe, plan.target);
        RunResult target;
        Comparison comparison = null;
        String invalid = null;
        if (gate.origin != null) {
            err.printf("regression gate: against %s, a warm-up round and %d interleaved rounds of %s per side (--duration %s / %d),"
                    + " regression above %s%n", gate.name, gate.rounds, seconds(gate.perRun), duration, gate.rounds, maxRegressionText(gate));
            err.flush();
            Rounds.Outcome o = Rounds.run(gate.rounds, (side, round, first) ->
                    plan.runs().builder(side == Rounds.Side.TARGET ? plan.base() : gate.origin, gate.perRun)
                            .timeout(plan.timeout).rehearse(first).run(), r -> {
                if (!quiet) {
                    err.println(r.line());
                    err.flush();
                }
            });
            boolean targetValid = o.target().stream().allMatch(RunResult::valid);
            target = RunResults.pool(o.target(), o.valid() || !targetValid ? List.of() : List.of(o.invalid()));
            if (o.valid()) {
                comparison = RegressionGate.interleaved(gate.name, o.target(), o.reference(), gate.threshold);
            } else {
                invalid = o.invalid();
            }
        } else {
            err.println(STORED_WARNING);
            err.printf("regression gate: against %s (%s model, p50 %s ms, p99 %s ms), regression above %s%n", gate.name,
                    gate.stored.model(), trim(gate.stored.p50Ms()), trim(gate.stored.p99Ms()), maxRegressionText(gate));
            err.flush();
            LoadRun.Builder run = plan.runs().builder(plan.base(), plan.measured()).timeout(plan.timeout);
            if (hdrLog != null) {
                run.hdrLog(hdrLog);
            }
            if (!quiet) {
                boolean tty = System.console() != null;
                run.progress(p -> progress(err, p, tty));
            }
            target = run.run();
            if (!quiet && System.console() != null) {
                err.println();
            }
            if (target.valid()) {
                comparison = RegressionGate.stored(gate.name, target, gate.stored, gate.threshold);
            } else {
                invalid = "the target run is invalid: " + String.join("; ", target.invalidReasons());
            }
        }
        RunResult result = target;
        List<SloResult> verdicts = plan.slos.stream().map(s -> s.evaluate(result)).toList();
        ConsoleReport.print(result, verdicts, new java.io.PrintStream(new WriterStream(out), true, StandardCharsets.UTF_8));
        out.println();
        if (comparison != null) {
            out.printf(gate.origin != null
                            ? "regression gate against %s (%d interleaved rounds; 95%% intervals from a bootstrap of the %s):%n"
                            : "regression gate against %s (a stored run; 95%% intervals from the target's %d seconds in %s):%n",
                    gate.name, comparison.units(), comparison.resampling());
            comparison.lines().forEach(out::println);
        } else {
            out.println("regression gate: not compared: " + invalid);
        }
        out.flush();
        if (json != null) {
            RegressionReport.write(result, verdicts, comparison != null ? comparison.json() : Comparison.invalidJson(gate.name, invalid), json);
        }
        if (html != null) {
            HtmlReport.write(result, verdicts, html);
        }
        return ExitCodes.of(result, verdicts, comparison != null && comparison.regressed());
    }

    private String maxRegressionText(Gate gate) {
        return maxRegression != null ? maxRegression.strip() : trim(100 * gate.threshold) + "%";
    }

    /** A duration as seconds, three significant digits: 5s, 2.5s, 0.667s. */
    private static String seconds(Duration d) {
        return trim(d.toNanos() / 1e9) + "s";
    }

    private static String trim(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
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

    /** Everything validated, before anything is sent. {@code runs} makes the builder of a run at any origin and length. */
    private record Plan(Runs runs, URI base, Duration measured, boolean closed, Duration timeout, List<Slo> slos, String describe,
                        String target) {
    }

    /** Builds one run of the plan against {@code base} (its origin is what counts), measuring {@code measured}. */
    @FunctionalInterface
    private interface Runs {
        LoadRun.Builder builder(URI base, Duration measured);
    }

    /**
     * What {@code --baseline} asks for: a reference server's {@code origin} (then {@code rounds} of {@code perRun}
     * each) or a {@code stored} result (then {@code origin} is null).
     */
    private record Gate(String name, URI origin, StoredReference stored, double threshold, int rounds, Duration perRun) {
    }

    /** The gate {@code --baseline} asks for, validated; null without it (then its companions are usage errors). */
    private Gate gate(Plan plan) {
        if (baseline == null) {
            if (maxRegression != null || rounds != null) {
                throw new IllegalArgumentException((maxRegression != null ? "--max-regression" : "--rounds")
                        + " compares with a reference: give --baseline REF too");
            }
            return null;
        }
        if (stages != null) {
            throw new IllegalArgumentException("--baseline compares runs at a steady load: give --rate or --concurrency, not --stages");
        }
        if (abortOnFail) {
            throw new IllegalArgumentException("--abort-on-fail cannot be combined with --baseline: the gate compares whole runs");
        }
        double threshold = RegressionGate.DEFAULT_THRESHOLD;
        if (maxRegression != null) {
            try {
                threshold = RegressionGate.parseThreshold(maxRegression);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--max-regression " + e.getMessage(), e);
            }
        }
        String ref = baseline.strip();
        if (ref.toLowerCase(Locale.ROOT).startsWith("http://")) {
            URI origin = Flags.check("--baseline", () -> URI.create(ref));
            if (!Scenario.isOrigin(origin) || origin.getHost() == null) {
                throw new IllegalArgumentException("--baseline must be the reference server's origin, e.g. http://127.0.0.1:8081"
                        + " (the target's paths are sent to it), was '" + baseline + "'");
            }
            int n = rounds != null ? rounds : RegressionGate.DEFAULT_ROUNDS;
            try {
                Rounds.checkRounds(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--rounds " + e.getMessage(), e);
            }
            Duration perRun = plan.measured().dividedBy(n);
            if (perRun.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--duration %s over --rounds %d leaves %s per run;"
                        + " each run must measure at least 1s: give a longer --duration or fewer --rounds", duration, n, seconds(perRun)));
            }
            if (hdrLog != null) {
                throw new IllegalArgumentException("--hdr-log records one run; with a reference server the gate makes " + 2 * n);
            }
            Flags.check("--baseline", () -> plan.runs().builder(origin, perRun)); // a bad origin fails here, before any run
            return new Gate(origin.toString(), origin, null, threshold, n, perRun);
        }
        if (ref.contains("://")) {
            throw new IllegalArgumentException("--baseline must be an http:// origin of the reference server or a JSON file written by"
                    + " headroom load --json, was '" + baseline + "'");
        }
        Path file = Path.of(ref);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("--baseline must be an http:// origin of the reference server or a readable JSON file"
                    + " written by headroom load --json; '" + baseline + "' is neither (no such readable file)");
        }
        if (rounds != null) {
            throw new IllegalArgumentException("--rounds interleaves a reference server; against a stored result (" + baseline
                    + ") the target runs once, for --duration");
        }
        StoredReference stored = Flags.check("--baseline", () -> StoredReference.read(file));
        String model = plan.closed() ? "closed" : "open";
        if (!stored.model().equals(model)) {
            throw new IllegalArgumentException("--baseline " + baseline + " was measured in the " + stored.model()
                    + " model; this run is " + model + ": compare at the same load");
        }
        if (plan.closed() ? stored.connections() != concurrency : Math.abs(stored.targetRate() - rate) > 0.001 * rate + 0.001) {
            throw new IllegalArgumentException(plan.closed()
                    ? String.format(Locale.ROOT, "--baseline %s was measured with --concurrency %d; this run has %d: compare at the same load",
                            baseline, stored.connections(), concurrency)
                    : String.format(Locale.ROOT, "--baseline %s was measured at --rate %s; this run is at %s: compare at the same load",
                            baseline, trim(stored.targetRate()), trim(rate)));
        }
        if (plan.measured().compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("--duration must be at least 2s against a stored reference (its interval comes from"
                    + " the target's seconds), was " + duration);
        }
        return new Gate(baseline, null, stored, threshold, 1, plan.measured());
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

        RequestTarget t = target();
        URI base = t.base();
        Supplier<Workload> workload = t.workloads(); // a fresh one per run: each run of a gate sends the same requests
        String target = t.describe();
        Runs runs;
        String describe;
        if (concurrency != null) {
            runs = (origin, length) -> Flags.check("--concurrency", () -> LoadRun.closed(origin, concurrency, length, workload.get())).warmup(warm);
            describe = String.format("closed model, %d connections, %s (+%s warm-up)", concurrency, duration, warmup);
        } else {
            Stages staged = stages != null ? Flags.check("--stages", () -> Stages.parse(stages)) : null;
            String kind = arrivals.toLowerCase(java.util.Locale.ROOT);
            if (!kind.equals("uniform") && !kind.equals("poisson")) {
                throw new IllegalArgumentException("--arrivals must be uniform or poisson, was '" + arrivals + "'");
            }
            runs = (origin, length) -> {
                Stages plan = staged != null ? staged : Stages.constant(rate, length.toNanos() / 1e9);
                Stages withWarmup = warm.isZero() ? plan : plan.withWarmup(warm.toNanos() / 1e9);
                Schedule schedule = kind.equals("uniform") ? Schedules.uniform(withWarmup) : Schedules.poisson(withWarmup, seed);
                LoadRun.Builder b = Flags.check("URL", () -> LoadRun.open(origin, schedule, workload.get())).warmup(warm);
                Flags.check("--connections", () -> b.connections(connections));
                return b;
            };
            describe = String.format("open model, %s arrivals, %s, %d connections", arrivals,
                    stages != null ? "stages " + stages : String.format("%.0f/s for %s", rate, duration) + (warm.isZero() ? "" : " (+" + warmup + " warm-up)"),
                    connections);
        }
        runs.builder(base, measured); // every bad value fails here, before anything is sent
        return new Plan(runs, base, measured, concurrency != null, wait, gates, describe, target);
    }


    private RequestTarget target() throws IOException {
        if (scenario == null) {
            byte[] bytes = bodyFile != null ? Files.readAllBytes(bodyFile) : body != null ? body.getBytes(StandardCharsets.UTF_8) : null;
            return RequestTarget.url(url, method, headers, bytes);
        }
        if (method != null || body != null || bodyFile != null) {
            throw new IllegalArgumentException("--method, --body and --body-file describe a single request;"
                    + " with --scenario, write them in the scenario file");
        }
        return RequestTarget.scenario(scenario, url, seed, headers);
    }

    /**
     * {@code headroom load delay-server}: a server with a known latency, to calibrate the regression gate on this
     * machine (an A/A test: two of them with the same delay must not differ) and for
     * {@code bench/regression-gate-false-positives.sh}.
     */
    @Command(name = "delay-server",
            mixinStandardHelpOptions = true,
            description = {
                    "Serves HTTP answers after a fixed delay, to calibrate the regression gate.",
                    "",
                    "Listens on 127.0.0.1 and answers every request (any method and path: 200 ok, keep-alive) --delay after "
                            + "reading it, on a timer of its one event loop (epoll: microsecond timers; NIO: whole milliseconds), "
                            + "so overlapping requests wait side by side and nothing queues. Prints its origin, then runs until "
                            + "stopped (Ctrl-C or SIGTERM), and then prints what it really added per request (read to written): "
                            + "timers fire late by some 0.1 ms, and the client's own time comes on top.",
                    "",
                    "Two with the same delay are an A/A test of the gate: headroom load --rate 500 --duration 30s "
                            + "--baseline http://127.0.0.1:PORT2 http://127.0.0.1:PORT1/ must exit 0 (see "
                            + "bench/regression-gate-false-positives.sh)."})
    static final class DelayServerCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--delay", paramLabel = "TIME", required = true, description = "How long to hold each answer, e.g. 2ms, 2.4ms, 500us.")
        String delay;

        @Option(names = "--port", paramLabel = "N", description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
        int port = 0;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Duration d = Flags.check("--delay", () -> Durations.parse(delay));
            DelayServer server = Flags.check("--delay", () -> {
                try {
                    return DelayServer.start(d, port);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting", e);
                }
            });
            out.printf("delay-server: listening on %s/ (%s), answering every request %s after reading it%n", server.origin(),
                    server.transport(), delay);
            out.flush();
            // stopped by a signal (the JVM's shutdown), so the hook reports and closes, not this thread
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    out.println("delay-server: " + server.describeAdded());
                    out.flush();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    server.close();
                }
            }, "delay-server-stop"));
            new CountDownLatch(1).await(); // until the JVM stops
            return 0;
        }
    }
}
