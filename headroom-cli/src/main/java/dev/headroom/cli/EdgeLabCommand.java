package dev.headroom.cli;

import dev.headroom.experiments.edge.EdgeLab;
import dev.headroom.experiments.edge.EdgeLabOptions;
import dev.headroom.experiments.edge.Experiment;
import dev.headroom.lab.schedule.Durations;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab edge}: what the edge costs against nginx and HAProxy, and how each algorithm copes with a slow node. */
@Command(name = "edge",
        mixinStandardHelpOptions = true,
        description = {
                "Measures the edge: its cost against nginx and HAProxy, a slow node, failover and scaling out.",
                "",
                "proxy-cost: one nginx return-200 backend (1 worker), reached through the Headroom edge (its own JVM, 1 event loop), "
                        + "nginx proxy_pass (1 worker, upstream keep-alive) and HAProxy (nbthread 1, http-reuse always), and directly. "
                        + "With taskset and 2 CPUs the servers share the first CPU and the load generator (this JVM) gets the second. "
                        + "Each target is warmed (the edge for --warmup, the others 5 s at most), then interleaved rounds of closed-model "
                        + "maximum-rate runs (64 connections), then interleaved rounds of open-model runs at the same rate for all, half "
                        + "the slowest proxy's median maximum: p50 and p99 from each request's intended send time, minus direct's.",
                "",
                "slow-node: three nginx backends, one behind a TCP proxy adding 50 ms; the edge (in this JVM) in front with "
                        + "round-robin, random, least-request and peak-ewma in turn, at --rate: each one's median p99 and share of "
                        + "tries sent to the slow node.",
                "",
                "failover: three shop nodes (JVMs of their own, embedded PostgreSQL and Redis) behind the edge; one killed with "
                        + "SIGKILL a third into a 60 s run at 200 req/s (a fifth of them POST /orders with an Idempotency-Key), with "
                        + "retries and ejection, then again with one try and no checks; the ledger checked for every acknowledged POST.",
                "",
                "scale-out: 1 to 4 shop nodes made I/O-bound (PostgreSQL 3 ms away through a TCP proxy, one connection per node, no "
                        + "cache) behind the edge: capacity at p99 < 50 ms for each count, and the Universal Scalability Law fitted to them.",
                "",
                "Checks: Headroom's max rate >= 0.9x nginx's; its added p99 within 1 ms of nginx's; peak-ewma sends <= 1 %% to "
                        + "the slow node with a p99 <= 0.2x round robin's; failover errors < 0.01 %% with nothing acknowledged lost or "
                        + "doubled; capacity grows with nodes; every run valid. Exit code 0 when all pass, 1 otherwise, 2 on a bad flag. "
                        + "Needs nginx; HAProxy is skipped when missing (a failure with CI=true).",
                "",
                "Takes about 20 minutes with the defaults."},
        footer = {"", "Examples:",
                "  headroom lab edge",
                "  headroom lab edge --json edge-lab.json --html edge-lab.html",
                "  headroom lab edge --experiments slow-node --rate 500 --rounds 5",
                "  headroom lab edge --experiments proxy-cost --duration 5s --warmup 10s --rounds 1"})
final class EdgeLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--experiments", paramLabel = "LIST", description = "Experiments to run, comma-separated, among proxy-cost, slow-node, "
            + "failover, scale-out. Default: ${DEFAULT-VALUE}.")
    String experiments = Experiment.all().stream().map(Experiment::id).collect(Collectors.joining(","));

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved rounds (A B C D A B C D ...); medians over them. Default: ${DEFAULT-VALUE}.")
    int rounds = EdgeLabOptions.DEFAULT_ROUNDS;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Measured part of every run. Default: ${DEFAULT-VALUE}.")
    String duration = EdgeLabOptions.DEFAULT_DURATION.toSeconds() + "s";

    @Option(names = "--warmup", paramLabel = "DURATION", description = "Load before the rounds, not measured (the edge's JIT needs about 30 s). "
            + "Default: ${DEFAULT-VALUE}.")
    String warmup = EdgeLabOptions.DEFAULT_WARMUP.toSeconds() + "s";

    @Option(names = "--rate", paramLabel = "R", description = "The slow-node experiment's offered rate, requests/s. Default: ${DEFAULT-VALUE}.")
    double rate = EdgeLabOptions.DEFAULT_SLOW_RATE;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the Poisson arrivals. Default: ${DEFAULT-VALUE}.")
    long seed = EdgeLabOptions.DEFAULT_SEED;

    @Mixin
    ReportFileOptions files = new ReportFileOptions();

    @Override
    public Integer call() throws Exception {
        return EdgeLab.run(options(), spec.commandLine().getOut()).passed() ? 0 : Headroom.FAILED;
    }

    /** The flags as the lab's options; every value checked, a bad one named. */
    EdgeLabOptions options() {
        Set<Experiment> chosen = Flags.check("--experiments", () -> Experiment.parseList(experiments));
        Duration measured = Flags.check("--duration", () -> Durations.parse(duration));
        Duration warm = Flags.check("--warmup", () -> Durations.parse(warmup));
        return new EdgeLabOptions(chosen, rounds, measured, warm, rate, seed, files.json, files.html);
    }
}
