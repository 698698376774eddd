package dev.headroom.experiments.journey;

import dev.headroom.lab.slo.Slo;
import dev.headroom.shop.seed.SeedSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What one journey runs: the data, the steps, how long each part takes, the SLO, and where reports go. Checked as a
 * whole when built, so that a bad option fails before minutes of work.
 *
 * @param data        the dataset, seeded once into {@code dataDir} and reused
 * @param dataDir     where PostgreSQL and Redis keep their data
 * @param slo         the SLO a rate must meet to count as capacity, e.g. {@code p99<100ms}
 * @param steps       the steps to run, in journey order
 * @param offeredRate the rate every step's latency is measured at; null: half the baseline's throughput (then the
 *                    baseline must be the first step)
 * @param timings     how long each part of a step runs
 * @param nodes       shop nodes per step
 * @param profileCpu  record each step's nodes with JFR and report their hottest methods
 * @param seed        fixes every random choice of the load
 * @param quick       a first look: smaller data, shorter runs (for the report and the re-run commands)
 */
public record JourneyOptions(SeedSpec data, Path dataDir, Slo slo, List<JourneyStep> steps, Double offeredRate,
                             Timings timings, int nodes, boolean profileCpu, long seed, boolean quick) {
    public static final String DEFAULT_SLO = "p99<100ms";
    public static final int DEFAULT_NODES = 2;
    /** The quick look's data: a fifth of the default, so seeding and index builds take seconds. */
    public static final SeedSpec QUICK_DATA = new SeedSpec(20_000, 2_000, 200_000, SeedSpec.DEFAULT.seed());

    public JourneyOptions {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(timings, "timings");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("give at least one step");
        }
        if (offeredRate == null && !steps.getFirst().name().equals("baseline")) {
            throw new IllegalArgumentException("without the baseline step, give the offered rate (--rate): it is half the baseline's throughput");
        }
        if (offeredRate != null && !(offeredRate > 0 && offeredRate <= 1_000_000)) {
            throw new IllegalArgumentException("the offered rate must be above 0 and at most 1000000 requests/s, was " + offeredRate);
        }
        if (nodes < 1 || nodes > 8) {
            throw new IllegalArgumentException("nodes must be between 1 and 8, was " + nodes);
        }
    }
}
