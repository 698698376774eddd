package dev.headroom.cli;

import dev.headroom.experiments.faults.Fault;
import dev.headroom.experiments.faults.FaultsLab;
import dev.headroom.experiments.faults.FaultsLabOptions;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab faults}: the shop under load while its dependencies fail, one fault after the other. */
@Command(name = "faults",
        mixinStandardHelpOptions = true,
        description = {
                "Breaks one dependency at a time under load: errors, latency, recovery and lost orders.",
                "",
                "Starts its own embedded PostgreSQL (durable) and Redis in a temporary folder, supervised (a crashed server is "
                        + "restarted), and 2 shop nodes (JVMs) behind the edge, reaching PostgreSQL through a TCP proxy. Open-model "
                        + "Poisson load at --rate: 60 %% GET /products/{id} (cached), 20 %% GET /users/{id}/orders, 20 %% POST /orders "
                        + "with an Idempotency-Key each. Per fault: 5 s steady, the fault, 10 s after its end.",
                "",
                "pg-kill: PostgreSQL and its backends kill -9ed from outside; the supervisor restarts it.",
                "pg-freeze: PostgreSQL frozen (SIGSTOP) for 5 s, then thawed.",
                "redis-kill: Redis kill -9ed from outside; the supervisor restarts it.",
                "db-link: the link to PostgreSQL +200 ms per round trip for 5 s, then cut for 5 s, then healed.",
                "node-kill: one shop node's JVM kill -9ed; the edge routes around it, the supervisor restarts it.",
                "slow-clients: 10,000 slow clients (a header byte every 3 s, reconnecting when cut, an attacker JVM of their own) "
                        + "held against the edge for 5 s.",
                "",
                "Per fault: requests, errors by kind, p99 before, during and after (from each request's intended send time), "
                        + "recovery (from the fault's end until the SLO holds for 2 s on end: every 500 ms bucket with p99 <= --slo-p99-ms and <= 1 %% errors), "
                        + "orders acknowledged and lost (acknowledged, not in PostgreSQL at the end).",
                "",
                "Checks: no acknowledged order lost or doubled, and the SLO holds again within the recovery phase, per fault. "
                        + "Exit code 0 when all pass, 1 otherwise, 2 on a bad flag. Takes about 5 minutes; --quick (1 node, pg-kill, "
                        + "redis-kill and 300 slow clients, phases of 2 s or less) well under one."},
        footer = {"", "Examples:",
                "  headroom lab faults",
                "  headroom lab faults --json faults-lab.json --html faults-lab.html",
                "  headroom lab faults --faults pg-kill,db-link --rate 300",
                "  headroom lab faults --quick"})
final class FaultsLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "One shop node, 2 s phases, small data: a smoke test (CI), not a measurement.")
    boolean quick;

    @Option(names = "--faults", paramLabel = "LIST", description = "Faults to inject, comma-separated, among pg-kill, pg-freeze, redis-kill, "
            + "db-link, node-kill, slow-clients. Default: all; with --quick pg-kill,redis-kill,slow-clients.")
    String faults;

    @Option(names = "--rate", paramLabel = "R", description = "Offered rate, requests/s. Default: "
            + (int) FaultsLabOptions.DEFAULT_RATE + "; with --quick " + (int) FaultsLabOptions.DEFAULT_QUICK_RATE + ".")
    Double rate;

    @Option(names = "--slo-p99-ms", paramLabel = "MS", description = "The SLO's p99 that recovery is measured against. Default: ${DEFAULT-VALUE}.")
    double sloP99Ms = FaultsLabOptions.DEFAULT_SLO_P99_MS;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data, the arrivals and the mix. Default: ${DEFAULT-VALUE}.")
    long seed = FaultsLabOptions.DEFAULT_SEED;

    @Mixin
    ReportFileOptions files = new ReportFileOptions();

    @Override
    public Integer call() throws Exception {
        return FaultsLab.run(options(), spec.commandLine().getOut()).passed() ? 0 : Headroom.FAILED;
    }

    /** The flags as the lab's options; every value checked, a bad one named. */
    FaultsLabOptions options() {
        FaultsLabOptions defaults = FaultsLabOptions.defaults(quick);
        Set<Fault> chosen = faults == null ? defaults.faults() : Flags.check("--faults", () -> Fault.parseList(faults));
        return new FaultsLabOptions(quick, chosen, seed, rate == null ? defaults.rate() : rate, sloP99Ms, files.json, files.html);
    }
}
