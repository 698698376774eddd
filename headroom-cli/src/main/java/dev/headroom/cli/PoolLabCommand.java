package dev.headroom.cli;

import dev.headroom.experiments.pool.PoolLab;
import dev.headroom.experiments.pool.PoolLabOptions;
import dev.headroom.lab.schedule.Durations;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab pool}: the pool size swept against the shop, the optimum beside the formula and Little's law. */
@Command(name = "pool",
        mixinStandardHelpOptions = true,
        description = {
                "Sweeps the connection-pool size against the shop and finds the measured optimum.",
                "",
                "Starts its own PostgreSQL (embedded, in a temporary folder) and one shop node, optimized but without the cache "
                        + "(indexes,single-query,pool,http), so every GET /products/{id} borrows a connection. PostgreSQL is one "
                        + "network hop away (a TCP proxy adding --db-rtt to each round trip) unless --db-rtt is 0: on loopback a "
                        + "2-core machine is CPU-bound and the pool size barely matters.",
                "",
                "Each size gets a fresh node with that --pool-size. Closed model: --concurrency connections (more than any pool), "
                        + "--rounds rounds taken in turn (ascending, then descending), medians: throughput, p50/p99, and HikariCP's "
                        + "own figures from the node's /metrics: the wait for a connection (hikaricp_connections_acquire_seconds, "
                        + "mean and p99), the most requests waiting (hikaricp_connections_pending) and how long each holds one "
                        + "(hikaricp_connections_usage_seconds). Open model: every size at one rate, --load of the best throughput, "
                        + "for a fair p99.",
                "",
                "Prints three answers side by side: the measured optimum (the smallest pool within 10 %% of the best throughput "
                        + "whose p99 at that rate meets --slo-p99, or the smallest of them when none does), the formula cores x 2 + spindles, and "
                        + "Little's law (best throughput x the hold time where the pool was least contended). Exit code 0 when "
                        + "the sweep ran, 2 on a bad flag.",
                "",
                "Takes about 5 minutes with the defaults."},
        footer = {"", "Examples:",
                "  headroom lab pool",
                "  headroom lab pool --json pool-lab.json --html pool-lab.html",
                "  headroom lab pool --sizes 2,5,10 --rounds 1 --duration 3s",
                "  headroom lab pool --db-rtt 5ms --sizes 4,8,16,32,48 --concurrency 96",
                "  headroom lab pool --db-rtt 0"})
final class PoolLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--sizes", paramLabel = "LIST", description = "Pool sizes to sweep, comma-separated. Default: ${DEFAULT-VALUE}.")
    String sizes = PoolLabOptions.DEFAULT_SIZES.stream().map(String::valueOf).collect(Collectors.joining(","));

    @Option(names = "--concurrency", paramLabel = "N", description = "Closed-model connections, above the largest size. Default: ${DEFAULT-VALUE}.")
    int concurrency = PoolLabOptions.DEFAULT_CONCURRENCY;

    @Option(names = "--db-rtt", paramLabel = "DURATION", description = "What the hop to PostgreSQL adds to each round trip "
            + "(at most 100ms); 0 for loopback, no proxy. Default: ${DEFAULT-VALUE}.")
    String dbRtt = Durations.text(PoolLabOptions.DEFAULT_DB_RTT);

    @Option(names = "--rounds", paramLabel = "N", description = "Closed-model runs of every size, taken in turn; medians over them. "
            + "Default: ${DEFAULT-VALUE}.")
    int rounds = PoolLabOptions.DEFAULT_ROUNDS;

    @Option(names = "--warmup", paramLabel = "DURATION", description = "Load before each measured run, not measured. Default: ${DEFAULT-VALUE}.")
    String warmup = Durations.text(PoolLabOptions.DEFAULT_WARMUP);

    @Option(names = "--duration", paramLabel = "DURATION", description = "Measured part of each run. Default: ${DEFAULT-VALUE}.")
    String duration = Durations.text(PoolLabOptions.DEFAULT_DURATION);

    @Option(names = "--load", paramLabel = "X", description = "The open-model rate as a share of the best throughput. Default: ${DEFAULT-VALUE}.")
    double load = PoolLabOptions.DEFAULT_LOAD_SHARE;

    @Option(names = "--slo-p99", paramLabel = "DURATION", description = "The p99 the optimum must meet at that rate. Default: ${DEFAULT-VALUE}.")
    String sloP99 = (long) PoolLabOptions.DEFAULT_SLO_P99_MS + "ms";

    @Option(names = "--products", paramLabel = "N", description = "Products seeded; requests read them uniformly. Default: ${DEFAULT-VALUE}.")
    long products = PoolLabOptions.DEFAULT_PRODUCTS;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data and the arrivals. Default: ${DEFAULT-VALUE}.")
    long seed = PoolLabOptions.DEFAULT_SEED;

    @Mixin
    ReportFileOptions files = new ReportFileOptions();

    @Override
    public Integer call() throws Exception {
        PoolLab.run(options(), spec.commandLine().getOut());
        return 0;
    }

    /** The flags as the lab's options; every value checked, a bad one named. */
    PoolLabOptions options() {
        List<Integer> chosen = Flags.check("--sizes", () -> PoolLabOptions.parseSizes(sizes));
        Duration rtt = Flags.check("--db-rtt", () -> "0".equals(dbRtt.strip()) ? Duration.ZERO : Durations.parse(dbRtt));
        Duration warm = Flags.check("--warmup", () -> Durations.parse(warmup));
        Duration measured = Flags.check("--duration", () -> Durations.parse(duration));
        Duration slo = Flags.check("--slo-p99", () -> Durations.parse(sloP99));
        return new PoolLabOptions(chosen, concurrency, rtt, rounds, warm, measured, load, slo.toNanos() / 1e6, products, seed, files.json, files.html);
    }
}
