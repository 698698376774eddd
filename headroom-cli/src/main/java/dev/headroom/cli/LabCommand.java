package dev.headroom.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code headroom lab}: experiments that measure one pattern's effect. */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = {
                "Runs experiments that measure one pattern's effect.",
                "",
                "analytics measures real-time analytics: ingest rate with windows and sketches, window and event-to-pixel freshness, late events against an exact replay, historical queries over a loaded history. "
                        + "cache starts its own PostgreSQL and Redis (embedded, in a temporary folder) and shop nodes, drives them with "
                        + "the load generator, and prints what the pattern changed, with PASS/FAIL per check. edge measures the edge against nginx and HAProxy and its algorithms against a slow node. faults injects failures under load (PostgreSQL killed and frozen, Redis killed, the database link slowed and cut, a shop node killed) and measures errors, recovery and lost orders. data measures read replicas: read scaling, replication lag, read-your-writes, a replica killed and frozen. overload measures stability under pressure: adaptive concurrency limits and priority shedding, retry budgets, hedging, bulkheads, rate limits and deadlines, each with and without. pool sweeps the "
                        + "shop's connection-pool size and sets the measured optimum beside the formula and Little's law. throughput sweeps "
                        + "concurrency against a target you run and fits the Universal Scalability Law to it."},
        subcommands = {AnalyticsLabCommand.class, CacheLabCommand.class, DataLabCommand.class, EdgeLabCommand.class, FaultsLabCommand.class, OverloadLabCommand.class, PoolLabCommand.class, ThroughputLabCommand.class})
final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
