package dev.headroom.cli;

import dev.headroom.experiments.data.DataLab;
import dev.headroom.experiments.data.DataLabOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab data}: read replicas measured: read scaling, lag, read-your-writes, a replica lost. */
@Command(name = "data",
        mixinStandardHelpOptions = true,
        description = {
                "Measures read replicas: read scaling, replication lag, read-your-writes and a replica lost.",
                "",
                "Starts its own embedded PostgreSQL primary (durable: fsync and synchronous_commit on), 2 streaming replicas and "
                        + "Redis in a temporary folder, seeds them once, and runs shop nodes in this JVM.",
                "",
                "read scaling: one node (indexes, single-query, pool, http, replicas; no cache), every PostgreSQL server 3 ms away "
                        + "through its own TCP proxy and 2 connections per server; capacity at p99 < 50 ms for GET /users/{id} and "
                        + "GET /users/{id}/orders with 0, 1, 2 replicas, and the ratio to none. On 2 shared cores replicas add "
                        + "connections one hop away, not CPU.",
                "",
                "lag: POST /orders at a fixed rate; every 5 ms the primary's WAL position and each replica's replay position: "
                        + "lag p50/p99 per replica in bytes and in time (how long the oldest WAL not replayed had existed).",
                "",
                "read-your-writes: two nodes A and B with caches; clients PATCH their own user on A, then GET it on B at once, "
                        + "in turn with the Headroom-Consistency token and without: reads and violations of each.",
                "",
                "replica kill / freeze: one node over both replicas under open-model load; replica-1 gets SIGKILL (errors, time "
                        + "until the router reports it down), later SIGSTOP then SIGCONT (time until out of service, until serving).",
                "",
                "Checks: 0 violations with tokens and some without; no failed request around the kill; capacity with 2 replicas "
                        + "above none. Exit code 0 when all pass, 1 otherwise, 2 on a bad flag. Takes about 3 minutes; --quick about one."},
        footer = {"", "Examples:",
                "  headroom lab data",
                "  headroom lab data --json data-lab.json --html data-lab.html",
                "  headroom lab data --quick"})
final class DataLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Small data and short runs: a smoke test (CI), not a measurement.")
    boolean quick;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data and of the workloads' ids. Default: ${DEFAULT-VALUE}.")
    long seed = DataLabOptions.DEFAULT_SEED;

    @Mixin
    ReportFileOptions files = new ReportFileOptions();

    @Override
    public Integer call() throws Exception {
        return DataLab.run(options(), spec.commandLine().getOut()).passed() ? 0 : Headroom.FAILED;
    }

    /** The flags as the lab's options; every value checked, a bad one named. */
    DataLabOptions options() {
        return new DataLabOptions(quick, seed, files.json, files.html);
    }
}
