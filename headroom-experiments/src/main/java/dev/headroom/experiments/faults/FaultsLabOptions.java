package dev.headroom.experiments.faults;

import dev.headroom.experiments.ReportFiles;
import dev.headroom.shop.seed.SeedSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code headroom lab faults} runs, each value checked here so that a bad one fails before anything starts.
 * The phases' lengths, the node count and the data follow from {@code quick}: the full lab takes a few minutes,
 * {@code --quick} (one node, two faults, phases of 1 to 2 s) well under one: a smoke test for CI, not a measurement.
 *
 * @param quick    one shop node, short phases, small data
 * @param faults   the faults to inject, one after the other, in {@link Fault}'s order
 * @param seed     of the data, the arrivals and the mix
 * @param rate     the offered rate, requests/s
 * @param sloP99Ms the SLO recovery is measured against: p99 at most this (from each request's intended send time)
 * @param json     where the result goes as JSON, or null
 * @param html     where the report goes as a self-contained HTML page, or null
 */
public record FaultsLabOptions(boolean quick, Set<Fault> faults, long seed, double rate, double sloP99Ms, Path json, Path html) {
    public static final long DEFAULT_SEED = 42;
    /**
     * Well under the two nodes' capacity on one shared CPU: at 150/s the shop's adaptive admission already shed now and
     * then in the steady phases (11 to 100 % of their buckets within the SLO), which left recovery nothing to be read against.
     */
    public static final double DEFAULT_RATE = 100;
    public static final double DEFAULT_QUICK_RATE = 40;
    public static final double DEFAULT_SLO_P99_MS = 250;
    /** The SLO's error bound: at most this share of a bucket's requests not answered with a 2xx. */
    public static final double SLO_MAX_ERROR_SHARE = 0.01;
    /** Recovery is measured in buckets of this length, by intended send time. */
    public static final Duration BUCKET = Duration.ofMillis(500);
    public static final Set<Fault> QUICK_FAULTS = EnumSet.of(Fault.PG_KILL, Fault.REDIS_KILL, Fault.SLOW_CLIENTS);

    public FaultsLabOptions {
        if (faults == null || faults.isEmpty()) {
            throw new IllegalArgumentException("--faults must name at least one fault");
        }
        faults = Set.copyOf(EnumSet.copyOf(faults));
        if (quick && faults.contains(Fault.NODE_KILL)) {
            throw new IllegalArgumentException("--faults: node-kill needs two shop nodes, and --quick runs one: leave out --quick or node-kill");
        }
        if (!(rate >= 5 && rate <= 5000)) {
            throw new IllegalArgumentException("--rate must be between 5 and 5000 requests/s, was " + rate);
        }
        if (!(sloP99Ms >= 1 && sloP99Ms <= 10_000)) {
            throw new IllegalArgumentException("--slo-p99-ms must be between 1 and 10000 ms, was " + sloP99Ms);
        }
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--html", html);
    }

    /** Every fault, or with {@code quick} pg-kill, redis-kill and slow-clients, at the default rate and SLO. */
    public static FaultsLabOptions defaults(boolean quick) {
        return new FaultsLabOptions(quick, quick ? QUICK_FAULTS : EnumSet.allOf(Fault.class), DEFAULT_SEED, quick ? DEFAULT_QUICK_RATE : DEFAULT_RATE,
                DEFAULT_SLO_P99_MS, null, null);
    }

    /** The faults in the order they run. */
    public List<Fault> ordered() {
        return EnumSet.copyOf(faults).stream().toList();
    }

    /** Shop nodes behind the edge. */
    int nodes() {
        return quick ? 1 : 2;
    }

    SeedSpec data() {
        return quick ? new SeedSpec(200, 200, 500, seed) : new SeedSpec(1_000, 2_000, 5_000, seed);
    }

    /** Load before each fault: the reference the fault is held to. */
    Duration steady() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
    }

    /** Load after each fault's end: where recovery must happen. */
    Duration recovery() {
        return quick ? Duration.ofMillis(1500) : Duration.ofSeconds(10);
    }

    /** Recovered: the SLO held in every bucket for this long on end. */
    Duration sustain() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(2);
    }

    /** How long a freeze, a slow link and a cut link last. */
    Duration faultLength() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(5);
    }

    /** Unmeasured load once the rig is up, so that the first fault does not meet cold JITs; none in quick mode. */
    Duration warmup() {
        return quick ? Duration.ZERO : Duration.ofSeconds(10);
    }
}
