package dev.headroom.cli;

import dev.headroom.experiments.cache.CacheLab;
import dev.headroom.experiments.cache.CacheLabReport;
import dev.headroom.experiments.cache.CacheLabResult;
import dev.headroom.lab.schedule.Durations;
import dev.headroom.shop.cache.CacheMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom lab cache}: every cache configuration at one offered rate, a stampede and a Redis outage. */
@Command(name = "cache",
        mixinStandardHelpOptions = true,
        description = {
                "Starts its own PostgreSQL and Redis (embedded, in a temporary folder) and two shop nodes, measures the",
                "uncached maximum rate, then drives each cache configuration at the same offered rate (50%% of that",
                "maximum) with Zipf-distributed product reads and price changes: hit ratio per tier, p50/p99, database",
                "queries/s and heap, and for l1 and lru the best hit ratio any cache of that size could reach on the same",
                "trace (Belady). Then a stampede (1,000 requests at once for one cold key) and an outage (Redis killed",
                "under load). Prints a table and PASS/FAIL per check; exit code 0 when all pass, 1 otherwise.",
                "Takes about 6 minutes with the defaults."},
        footer = {"", "Examples:",
                "  headroom lab cache",
                "  headroom lab cache --json cache-lab.json --html cache-lab.html",
                "  headroom lab cache --configs none,l1+l2 --duration 10s --warmup 10s",
                "  headroom lab cache --configs none,l1+l2 --rounds 3 --load 0.8"})
final class CacheLabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--products", paramLabel = "N", description = "Products (the key space). Default: ${DEFAULT-VALUE}.")
    long products = 100_000;

    @Option(names = "--zipf", paramLabel = "S", description = "Zipf exponent of the product ids asked for. Default: ${DEFAULT-VALUE}.")
    double zipf = 0.99;

    @Option(names = "--write-share", paramLabel = "X", description = "Share of requests that change a price (and invalidate it). Default: ${DEFAULT-VALUE}.")
    double writeShare = 0.02;

    @Option(names = "--l1-share", paramLabel = "X", description = "Each node's L1 size as a share of the products. Default: ${DEFAULT-VALUE}.")
    double l1Share = 0.10;

    @Option(names = "--load", paramLabel = "X", description = "Offered rate as a share of the uncached maximum. Default: ${DEFAULT-VALUE}.")
    double load = 0.5;

    @Option(names = "--warmup", paramLabel = "DURATION", description = "Warm-up of each configuration, not measured. Default: ${DEFAULT-VALUE}.")
    String warmup = "15s";

    @Option(names = "--duration", paramLabel = "DURATION", description = "Measured part of each configuration. Default: ${DEFAULT-VALUE}.")
    String duration = "20s";

    @Option(names = "--configs", paramLabel = "LIST", description = "Configurations to run, comma-separated. Default: all (${DEFAULT-VALUE}).")
    String configs = CacheMode.ids().replace(" ", "");

    @Option(names = "--rounds", paramLabel = "N", description = "Runs of each configuration, taken in turn (A B C A B C); "
            + "each is reported by its median-p99 round. Default: ${DEFAULT-VALUE}.")
    int rounds = 1;

    @Option(names = "--outage", paramLabel = "DURATION", description = "The outage run: Redis is killed a fifth of the way in "
            + "and started again three fifths in. Default: ${DEFAULT-VALUE}.")
    String outage = "25s";

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the data and of the request traces. Default: ${DEFAULT-VALUE}.")
    long seed = 42;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the result as an HTML page.")
    Path html;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (products < 1000 || products > 100_000_000) {
            throw new IllegalArgumentException("--products must be between 1000 and 100000000, was " + products);
        }
        if (!(zipf > 0 && zipf <= 10)) {
            throw new IllegalArgumentException("--zipf must be in (0, 10], was " + zipf);
        }
        share("--write-share", writeShare, true);
        share("--l1-share", l1Share, false);
        share("--load", load, false);
        Duration warm = Flags.check("--warmup", () -> Durations.parse(warmup));
        Duration measured = Flags.check("--duration", () -> Durations.parse(duration));
        if (warm.toMillis() < 1000 || measured.toMillis() < 1000) {
            throw new IllegalArgumentException("--warmup and --duration must be at least 1s, were " + warmup + " and " + duration);
        }
        Duration outageRun = Flags.check("--outage", () -> Durations.parse(outage));
        if (outageRun.toMillis() < 5000) {
            throw new IllegalArgumentException("--outage must be at least 5s, was " + outage);
        }
        List<CacheMode> modes = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(configs.split(","))
                .map(c -> Flags.check("--configs", () -> CacheMode.parse(c))).toList()));
        if (rounds < 1 || rounds > 9) {
            throw new IllegalArgumentException("--rounds must be between 1 and 9, was " + rounds);
        }
        writable("--json", json);
        writable("--html", html);

        CacheLab.Plan plan = new CacheLab.Plan(products, zipf, writeShare, l1Share, load, warm, measured, modes, rounds, outageRun, seed);
        CacheLabResult result = new CacheLab(plan, line -> {
            out.println(line);
            out.flush();
        }).run();
        CacheLabReport.console(result, out);
        if (json != null) {
            CacheLabReport.json(result, json);
            out.println("wrote " + json);
        }
        if (html != null) {
            CacheLabReport.html(result, html);
            out.println("wrote " + html);
        }
        out.flush();
        return result.passed() ? 0 : Headroom.FAILED;
    }

    private static void share(String flag, double value, boolean zeroAllowed) {
        if (!(value >= 0 && value < 1) || (!zeroAllowed && value == 0)) {
            throw new IllegalArgumentException(flag + " must be " + (zeroAllowed ? "at least 0" : "above 0") + " and below 1, was " + value);
        }
    }

    /** Fails before the lab's minutes of work when a report could not be written. */
    private static void writable(String flag, Path file) {
        if (file == null) {
            return;
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent) || Files.isDirectory(file)) {
            throw new IllegalArgumentException(flag + ": cannot write " + file + " (the folder must exist and be writable)");
        }
    }
}
