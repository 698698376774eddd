package dev.headroom.experiments.edge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * What {@code headroom lab edge} runs, each value checked here so that a bad one fails before anything starts.
 *
 * @param experiments which experiments, run in {@link Experiment}'s order
 * @param rounds      interleaved rounds (every target or algorithm once per round, A B C D A B C D …); medians over them
 * @param duration    the measured part of every run
 * @param warmup      load before the rounds, not measured: the edge's JVM needs it to compile its hot paths
 * @param slowRate    the slow-node experiment's offered rate, requests/s
 * @param seed        of the Poisson arrivals and the random balancers' choices (these use each thread's generator; only the arrivals repeat)
 */
public record EdgeLabOptions(Set<Experiment> experiments, int rounds, Duration duration, Duration warmup, double slowRate, long seed,
                             Path json, Path html) {
    public static final int DEFAULT_ROUNDS = 3;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(30);
    public static final double DEFAULT_SLOW_RATE = 300;
    public static final long DEFAULT_SEED = 42;

    public EdgeLabOptions {
        experiments = Set.copyOf(experiments);
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("--experiments must name at least one experiment");
        }
        if (rounds < 1 || rounds > 50) {
            throw new IllegalArgumentException("--rounds must be between 1 and 50, was " + rounds);
        }
        if (duration == null || duration.toMillis() < 500 || duration.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("--duration must be between 500ms and 10m, was " + duration);
        }
        if (warmup == null || warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("--warmup must be between 0s and 10m, was " + warmup);
        }
        if (!(slowRate >= 10 && slowRate <= 20_000)) {
            throw new IllegalArgumentException("--rate must be between 10 and 20000 requests/s, was " + slowRate);
        }
        dev.headroom.experiments.ReportFiles.checkWritable("--json", json);
        dev.headroom.experiments.ReportFiles.checkWritable("--html", html);
    }

    /** The defaults: every experiment. */
    public static EdgeLabOptions defaults() {
        return new EdgeLabOptions(Experiment.all(), DEFAULT_ROUNDS, DEFAULT_DURATION, DEFAULT_WARMUP, DEFAULT_SLOW_RATE, DEFAULT_SEED, null, null);
    }

    /**
     * Each run's own start, not measured: short, as the JVM is warm by then; it lets connections open and a balancer
     * see its first answers. Half the duration at most, so that quick looks stay quick.
     */
    Duration runWarmup() {
        Duration twoSeconds = Duration.ofSeconds(2);
        Duration half = duration.dividedBy(2);
        return half.compareTo(twoSeconds) < 0 ? half : twoSeconds;
    }
}
