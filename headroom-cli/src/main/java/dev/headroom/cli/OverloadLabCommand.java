package dev.headroom.cli;

import dev.headroom.experiments.overload.Experiment;
import dev.headroom.experiments.overload.OverloadLab;
import dev.headroom.experiments.overload.OverloadLabOptions;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab overload}: stability under pressure, each mechanism with and without it in the same run. */
@Command(name = "overload",
        mixinStandardHelpOptions = true,
        description = {
                "Measures stability under pressure: each mechanism with and without it, in the same run.",
                "",
                "Every experiment starts its own servers (embedded PostgreSQL and Redis, shop nodes and edges in JVMs of their own, "
                        + "synthetic upstreams) in a temporary folder. With taskset and 2 CPUs the servers run on one CPU and this JVM, "
                        + "the load generator, on the other, so that offering more load does not take the system's CPU.",
                "",
                "overload: a database-bound request class (the database one hop away) offered 2x its capacity measured in the same run, "
                        + "with adaptive concurrency limits, a CoDel queue and priority shedding, and without: goodput, admitted p99, share "
                        + "shed, CPU per rejection, checkout's p99.",
                "retry-storm: an upstream failing 50 %% behind the edge: upstream requests per request offered with naive retries "
                        + "(3 attempts) and with a 10 %% retry budget.",
                "hedging: 2 upstreams stalling 2 %% of requests by 100 ms: p99/p99.9 with and without hedged GETs, extra requests.",
                "bulkhead: checkout beside a flood of slow searches: checkout p99 with and without bulkheads per route class.",
                "rate-limit: the admitted rate against the configured one after the burst drained, one edge (local) and two edges "
                        + "sharing a limit in Redis (global).",
                "deadlines: requests whose client gives up at its deadline: database work done past it with the deadline propagated "
                        + "to the shop and without.",
                "",
                "Checks: goodput >= 90 %% of capacity and admitted p99 within the SLO at 2x; upstream load <= 1.15x with the budget; "
                        + "hedged p99 <= 0.2x unhedged for <= 5 %% extra; checkout p99 lower with bulkheads; rate limits within 1 %% "
                        + "(local) and 2 %% (global); work past the deadline cut by >= 90 %%. Exit code 0 when all pass, 1 otherwise, "
                        + "2 on a bad flag. Takes about 10 minutes; --quick under one (a smoke test, not a measurement)."},
        footer = {"", "Examples:",
                "  headroom lab overload",
                "  headroom lab overload --json overload-lab.json --html overload-lab.html",
                "  headroom lab overload --experiments retry-storm,hedging",
                "  headroom lab overload --quick"})
final class OverloadLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Small data and short runs: a smoke test (CI), not a measurement.")
    boolean quick;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data and of the workloads' choices. Default: ${DEFAULT-VALUE}.")
    long seed = OverloadLabOptions.DEFAULT_SEED;

    @Option(names = "--experiments", paramLabel = "LIST",
            description = "Which to run, comma-separated, among overload, retry-storm, hedging, bulkhead, rate-limit, deadlines. Default: all.")
    String experiments;

    @Mixin
    ReportFileOptions files = new ReportFileOptions();

    @Override
    public Integer call() throws Exception {
        return OverloadLab.run(options(), spec.commandLine().getOut()).passed() ? 0 : Headroom.FAILED;
    }

    /** The flags as the lab's options; every value checked, a bad one named. */
    OverloadLabOptions options() {
        Set<Experiment> chosen = experiments == null ? Experiment.all() : Flags.check("--experiments", () -> Experiment.parseList(experiments));
        return new OverloadLabOptions(quick, seed, chosen, files.json, files.html);
    }
}
