package dev.headroom.experiments.data;

import dev.headroom.experiments.ReportFiles;
import dev.headroom.shop.seed.SeedSpec;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code headroom lab data} runs, each value checked here so that a bad one fails before anything starts. The
 * experiments' sizes follow from {@code quick}: the full lab takes a few minutes, {@code --quick} well under one (a
 * smoke test for CI, not a measurement).
 *
 * @param quick small data, short runs, no bisection of the capacity search
 * @param seed  of the seeded data and of the workloads' choices of ids
 * @param json  where the result goes as JSON, or null
 * @param html  where the report goes as a self-contained HTML page, or null
 */
public record DataLabOptions(boolean quick, long seed, Path json, Path html) {
    public static final long DEFAULT_SEED = 42;
    /** The read-scaling SLO: p99 under this, from each request's intended start. */
    public static final double SLO_P99_MS = 50;
    /** What each TcpProxy adds to a round trip to its PostgreSQL server in the read-scaling experiment. */
    public static final Duration DB_RTT = Duration.ofMillis(3);
    /** Connections per PostgreSQL server (primary and each replica) of the read-scaling node. */
    public static final int SCALING_POOL = 2;

    public DataLabOptions {
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--html", html);
    }

    public static DataLabOptions defaults() {
        return new DataLabOptions(false, DEFAULT_SEED, null, null);
    }

    SeedSpec data() {
        return quick ? new SeedSpec(500, 200, 2_000, seed) : new SeedSpec(10_000, 1_000, 50_000, seed);
    }

    /** Each capacity probe's unmeasured start and measured part, and bisections after the first miss. */
    Duration probeWarmup() {
        return quick ? Duration.ofMillis(250) : Duration.ofSeconds(1);
    }

    Duration probe() {
        return quick ? Duration.ofMillis(500) : Duration.ofSeconds(3);
    }

    int bisections() {
        return quick ? 0 : 3;
    }

    /** The lag experiment's writes: rate and how long. */
    double writeRate() {
        return quick ? 100 : 200;
    }

    Duration writes() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
    }

    /** Read-your-writes: clients and how long they run. */
    int clients() {
        return quick ? 4 : 8;
    }

    Duration readYourWrites() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
    }

    /** The kill's and the freeze's offered rate and runs. */
    double failureRate() {
        return quick ? 100 : 200;
    }

    Duration killRun() {
        return quick ? Duration.ofSeconds(3) : Duration.ofSeconds(15);
    }

    Duration freezeRun() {
        return quick ? Duration.ofMillis(4500) : Duration.ofSeconds(21);
    }
}
