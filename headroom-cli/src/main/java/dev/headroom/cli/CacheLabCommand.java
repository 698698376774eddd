package dev.headroom.cli;

import dev.headroom.experiments.cache.CacheLab;
import dev.headroom.experiments.cache.CacheLabOptions;
import dev.headroom.lab.schedule.Durations;
import dev.headroom.shop.cache.CacheMode;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab cache}: every cache configuration at one offered rate, a stampede and a Redis outage. */
@Command(name = "cache",
        mixinStandardHelpOptions = true,
        description = {
                "Measures each cache configuration, a stampede and a Redis outage.",
                "",
                "Starts its own PostgreSQL and Redis (embedded, in a temporary folder) and two shop nodes, measures the "
                        + "uncached maximum rate, then drives each cache configuration at the same offered rate (50%% of that "
                        + "maximum) with Zipf-distributed product reads and price changes: hit ratio per tier, p50/p99, database "
                        + "queries/s and heap, and for l1 and lru the best hit ratio any cache of that size could reach on the same "
                        + "trace (Belady) and what the L1's policy alone gets on it. Then a stampede (1,000 requests at once for one "
                        + "cold key) and an outage (Redis killed under load). Prints a table and PASS/FAIL per check; exit code 0 when "
                        + "all pass, 1 otherwise.",
                "",
                "Checks: l1 and lru within 0.01 of their policy replaying the same trace (the gap to Belady is reported); "
                        + "l1+l2 hit ratio >= 0.95 and 80%% fewer database queries per request than none; the stampede loads "
                        + "once; the outage fails no request; every run kept its plan.",
                "",
                "PostgreSQL is on loopback unless --db-rtt puts it one network hop away (a TCP proxy adding that round trip). "
                        + "l1+l2 must then also cut the p50 by 80%% or more against none; on loopback the p50 is only reported.",
                "",
                "Takes about 5 minutes with the defaults."},
        footer = {"", "Examples:",
                "  headroom lab cache",
                "  headroom lab cache --json cache-lab.json --html cache-lab.html",
                "  headroom lab cache --configs none,l1+l2 --duration 10s --warmup 10s",
                "  headroom lab cache --configs none,l1+l2 --rounds 3 --load 0.8",
                "  headroom lab cache --db-rtt 1ms"})
final class CacheLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--products", paramLabel = "N", description = "Products (the key space). Default: ${DEFAULT-VALUE}.")
    long products = CacheLabOptions.DEFAULT_PRODUCTS;

    @Option(names = "--zipf", paramLabel = "S", description = "Zipf exponent of the product ids asked for. Default: ${DEFAULT-VALUE}.")
    double zipf = CacheLabOptions.DEFAULT_ZIPF_EXPONENT;

    @Option(names = "--write-share", paramLabel = "X", description = "Share of requests that change a price (and invalidate it). Default: ${DEFAULT-VALUE}.")
    double writeShare = CacheLabOptions.DEFAULT_WRITE_SHARE;

    @Option(names = "--l1-share", paramLabel = "X", description = "Each node's L1 size as a share of the products. Default: ${DEFAULT-VALUE}.")
    double l1Share = CacheLabOptions.DEFAULT_L1_SHARE;

    @Option(names = "--load", paramLabel = "X", description = "Offered rate as a share of the uncached maximum. Default: ${DEFAULT-VALUE}.")
    double load = CacheLabOptions.DEFAULT_LOAD_SHARE;

    @Option(names = "--warmup", paramLabel = "DURATION", description = "Warm-up of each configuration, not measured. Default: ${DEFAULT-VALUE}.")
    String warmup = CacheLabOptions.DEFAULT_WARMUP.toSeconds() + "s";

    @Option(names = "--duration", paramLabel = "DURATION", description = "Measured part of each configuration. Default: ${DEFAULT-VALUE}.")
    String duration = CacheLabOptions.DEFAULT_DURATION.toSeconds() + "s";

    @Option(names = "--configs", paramLabel = "LIST", description = "Configurations to run, comma-separated. Default: all (${DEFAULT-VALUE}).")
    String configs = String.join(",", CacheLabOptions.DEFAULT_CONFIGURATIONS.stream().map(CacheMode::id).toList());

    @Option(names = "--rounds", paramLabel = "N", description = "Runs of each configuration, taken in turn (A B C A B C); "
            + "each is reported by its median-p99 round. Default: ${DEFAULT-VALUE}.")
    int rounds = CacheLabOptions.DEFAULT_ROUNDS;

    @Option(names = "--outage", paramLabel = "DURATION", description = "The outage run: Redis is killed a fifth of the way in "
            + "and started again three fifths in. Default: ${DEFAULT-VALUE}.")
    String outage = CacheLabOptions.DEFAULT_OUTAGE.toSeconds() + "s";

    @Option(names = "--db-rtt", paramLabel = "DURATION", description = "Put PostgreSQL one network hop away: the shop nodes reach it "
            + "through a TCP proxy adding this round trip (above 0, at most 100ms), e.g. 1ms. Default: on loopback, no proxy.")
    String dbRtt;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data and of the request traces. Default: ${DEFAULT-VALUE}.")
    long seed = CacheLabOptions.DEFAULT_SEED;

    @Mixin
    ReportFileOptions files = new ReportFileOptions();

    @Override
    public Integer call() throws Exception {
        return CacheLab.run(options(), spec.commandLine().getOut()).passed() ? 0 : Headroom.FAILED;
    }

    /** The flags as the lab's options; every value checked, a bad one named. */
    CacheLabOptions options() {
        Duration warm = Flags.check("--warmup", () -> Durations.parse(warmup));
        Duration measured = Flags.check("--duration", () -> Durations.parse(duration));
        Duration outageRun = Flags.check("--outage", () -> Durations.parse(outage));
        Duration rtt = dbRtt == null ? null : Flags.check("--db-rtt", () -> Durations.parse(dbRtt));
        List<CacheMode> modes = Arrays.stream(configs.split(",")).map(c -> Flags.check("--configs", () -> CacheMode.parse(c)))
                .distinct().toList();
        return new CacheLabOptions(products, zipf, writeShare, l1Share, load, warm, measured, modes, rounds, outageRun, rtt, seed, files.json, files.html);
    }
}
