package dev.headroom.cli;

import dev.headroom.edge.auth.AdminToken;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.journey.Journey;
import dev.headroom.experiments.journey.JourneyOptions;
import dev.headroom.experiments.journey.JourneyReport;
import dev.headroom.experiments.journey.JourneyResult;
import dev.headroom.experiments.journey.JourneyStep;
import dev.headroom.experiments.journey.NodeLauncher;
import dev.headroom.experiments.journey.Timings;
import dev.headroom.infra.JvmNodeSpec;
import dev.headroom.infra.Topology;
import dev.headroom.lab.schedule.Durations;
import dev.headroom.lab.slo.Slo;
import dev.headroom.shop.Switches;
import dev.headroom.shop.seed.SeedSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom demo}: the journey from the naive baseline to the optimized shop, one measured switch per step. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
                "Walks the shop from its naive baseline to fully optimized, measuring each step.",
                "",
                "Starts PostgreSQL and Redis (embedded, in --data-dir), seeds the data once (reused next time), then runs seven "
                        + "steps, each adding one optimization: baseline, indexes, single-query, pool, http, l1, l2. Every step runs "
                        + "on two fresh shop nodes (each its own JVM, the load split evenly between them) with the same workload "
                        + "(browse, search, user-orders, order, checkout) and is measured three ways: latency at one offered rate "
                        + "(half the baseline's throughput), throughput, and capacity at the SLO; with SQL per request from "
                        + "PostgreSQL's own statistics, connection wait, CPU, cache hits, bytes per response and the bottleneck "
                        + "named. Prints a table, the guides' claims beside the figures, and the command that re-runs each step.",
                "Exit code 0 when every step was measured validly, 1 when one was not (the report says which), 2 for bad flags.",
                "Takes about 8 minutes on two cores (--quick: about 3) after the first build and seed."},
        footer = {"", "Examples:",
                "  headroom demo",
                "  headroom demo --quick",
                "  headroom demo --json journey.json --html journey.html",
                "  headroom demo --steps indexes,single-query --rate 20 --slo 'p99<200ms'",
                "  headroom demo --profile-cpu"})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A first look: a fifth of the data and shorter runs (about 3 minutes).")
    boolean quick;

    @Option(names = "--slo", paramLabel = "EXPR", description = "What a rate must meet to count as capacity. Default: " + JourneyOptions.DEFAULT_SLO + ".")
    String slo = JourneyOptions.DEFAULT_SLO;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where PostgreSQL and Redis keep the journey's data. "
            + "Default: .headroom/demo (.headroom/demo-quick with --quick).")
    Path dataDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report.")
    Path html;

    @Option(names = "--steps", paramLabel = "LIST", description = "Only these steps, comma-separated (with --rate unless the baseline is among them).")
    String steps;

    @Option(names = "--rate", paramLabel = "REQ/S", description = "The offered rate of every step's latency run. Default: half the baseline's throughput.")
    Double rate;

    @Option(names = "--profile-cpu", description = "Record each step's nodes with JFR and report their hottest methods.")
    boolean profileCpu;

    @Option(names = "--users", paramLabel = "N", description = "Users to seed. Default: " + "100000 (20000 with --quick).")
    Long users;

    @Option(names = "--products", paramLabel = "N", description = "Products to seed. Default: 10000 (2000 with --quick).")
    Long products;

    @Option(names = "--orders", paramLabel = "N", description = "Orders to seed. Default: 1000000 (200000 with --quick).")
    Long orders;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data and of the load. Default: ${DEFAULT-VALUE}.")
    long seed = SeedSpec.DEFAULT.seed();

    /** For tests and experts: the five durations of a step (warm-up, latency, estimate, probe warm-up, probe). */
    @Option(names = "--timings", paramLabel = "W,L,E,PW,P", hidden = true)
    String timings;

    @Override
    public Integer call() throws Exception {
        JourneyOptions options = options();
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--html", html);
        PrintWriter out = spec.commandLine().getOut();
        JourneyResult result = Journey.run(options, launcher(options.dataDir()), ProgressLog.to(out));
        JourneyReport.console(result, out);
        if (json != null) {
            JourneyReport.json(result, json);
            out.println("json: " + json);
        }
        if (html != null) {
            JourneyReport.html(result, html);
            out.println("html: " + html);
        }
        out.flush();
        return result.valid() ? 0 : Headroom.FAILED;
    }

    /** The flags as the journey's options; every value checked, a bad one named. */
    JourneyOptions options() {
        SeedSpec base = quick ? JourneyOptions.QUICK_DATA : SeedSpec.DEFAULT;
        SeedSpec data = Flags.check("--users/--products/--orders", () -> new SeedSpec(users == null ? base.users() : users,
                products == null ? base.products() : products, orders == null ? base.orders() : orders, seed));
        Slo parsed = Flags.check("--slo", () -> Slo.parse(slo));
        List<JourneyStep> chosen = steps == null ? JourneyStep.standard()
                : Flags.check("--steps", () -> JourneyStep.select(JourneyStep.standard(), steps));
        Timings t = timings == null ? (quick ? Timings.QUICK : Timings.FULL) : Flags.check("--timings", this::parseTimings);
        Path dir = dataDir != null ? dataDir : Path.of(".headroom", quick ? "demo-quick" : "demo");
        return Flags.check(rate == null ? "--steps" : "--rate", () -> new JourneyOptions(data, dir, parsed, chosen, rate, t,
                JourneyOptions.DEFAULT_NODES, profileCpu, seed, quick));
    }

    private Timings parseTimings() {
        List<Duration> d = Arrays.stream(timings.split(",", -1)).map(Durations::parse).toList();
        if (d.size() != 5) {
            throw new IllegalArgumentException("give five durations: warm-up, latency, estimate, probe warm-up, probe");
        }
        return new Timings(d.get(0), d.get(1), d.get(2), d.get(3), d.get(4));
    }

    /** Each node serves with the step's optimizations on the journey's servers, which the journey prepared. */
    private static NodeLauncher launcher(Path dataDir) {
        return new NodeLauncher() {
            @Override
            public List<JvmNodeSpec> specs(Topology topology, Switches switches, int count, List<String> jvmOptions, int warmNodes) {
                // the journey sends no admin writes: a token shown to no one (a node left to make its own would print it to its log)
                return ShopNodeSpecs.of(topology, dataDir, List.of("--optimize", switches.id(), "--shutdown-grace", "2"), count, 0,
                        jvmOptions, warmNodes, List.of("--warm"), AdminToken.random().value());
            }

            @Override
            public JvmNodeSpec edge(List<String> backends) {
                return ShopNodeSpecs.edge(backends);
            }
        };
    }
}
