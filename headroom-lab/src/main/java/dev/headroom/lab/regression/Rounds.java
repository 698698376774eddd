package dev.headroom.lab.regression;

import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Interleaved rounds of the target and the reference: round 1 runs the target then the reference, round 2 the
 * reference then the target, and so on (A B B A A B …). Each side then runs as often first as second over an even
 * number of rounds, so a drift that is linear over the run (the machine warming, a neighbour's job winding
 * down) falls on both alike, and the two runs of a round are adjacent, so slower drift is shared by the pair and
 * cancels in the paired comparison ({@link RegressionGate}).
 *
 * <p>Before round 1 each side runs once unmeasured, round 0, in the order of round 1: a server that has just
 * started (its JIT, its pools, its caches) or a connection path not yet used would otherwise make round 1 its own
 * slow outlier (a fresh delay server's p99 was 731 ms in its first run here, 4 ms after). Round 0's figures are
 * shown, not used, and its validity does not count.
 *
 * <p>The comparison is only as valid as its runs: the first invalid run ends the rounds, and {@link Outcome#invalid}
 * says which it was and why.
 */
public final class Rounds {
    /** Which server a run measured. */
    public enum Side {
        TARGET, REFERENCE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Runs one side once; {@code round} counts from 1 (0 is the warm-up round), {@code first} is true for the very
     * first run of all.
     */
    @FunctionalInterface
    public interface Runner {
        RunResult run(Side side, int round, boolean first) throws IOException, InterruptedException;
    }

    /** A finished round (0: the warm-up): both runs, and which went first. */
    public record Round(int number, int of, Side first, RunResult target, RunResult reference) {
        /**
         * The progress line, e.g. {@code round 2/6: target p50 2.01 ms, p99 2.40 ms; reference p50 1.99 ms, p99 2.38 ms
         * (reference first)}, or {@code warm-up, not measured: …} for round 0; closed-model runs add their throughput.
         */
        public String line() {
            return String.format(Locale.ROOT, "%s: target %s; reference %s (%s first)",
                    number == 0 ? "warm-up, not measured" : "round " + number + "/" + of, figures(target), figures(reference),
                    first.label());
        }

        private static String figures(RunResult r) {
            String s = String.format(Locale.ROOT, "p50 %s ms, p99 %s ms", Change.figure(Latency.at(r.corrected(), 50)),
                    Change.figure(Latency.at(r.corrected(), 99)));
            return r.model().equals("closed") ? s + ", " + Change.figure(r.requestRate()) + " req/s" : s;
        }
    }

    /**
     * What the rounds measured: each side's runs in round order, and why they stopped early (null when every run
     * was valid and all rounds ran). An invalid run is the last of its side's list; the target's list is never
     * empty, since round 1 runs the target first.
     */
    public record Outcome(List<RunResult> target, List<RunResult> reference, String invalid) {
        public Outcome {
            target = List.copyOf(target);
            reference = List.copyOf(reference);
        }

        public boolean valid() {
            return invalid == null;
        }
    }

    private Rounds() {
    }

    /** The order of round {@code round} (from 1): the target first in odd rounds, the reference first in even ones. */
    public static List<Side> order(int round) {
        return round % 2 == 1 ? List.of(Side.TARGET, Side.REFERENCE) : List.of(Side.REFERENCE, Side.TARGET);
    }

    /**
     * Runs the warm-up round, then {@code rounds} rounds, calling {@code progress} after each; stops at the first
     * invalid run of a measured round.
     *
     * @throws IllegalArgumentException unless {@code rounds} is even and at least 2
     */
    public static Outcome run(int rounds, Runner runner, Consumer<Round> progress) throws IOException, InterruptedException {
        checkRounds(rounds);
        List<RunResult> target = new ArrayList<>();
        List<RunResult> reference = new ArrayList<>();
        RunResult warmTarget = null;
        RunResult warmReference = null;
        for (Side side : order(1)) {
            RunResult warm = runner.run(side, 0, side == order(1).getFirst());
            if (side == Side.TARGET) {
                warmTarget = warm;
            } else {
                warmReference = warm;
            }
        }
        progress.accept(new Round(0, rounds, order(1).getFirst(), warmTarget, warmReference));
        boolean first = false;
        for (int round = 1; round <= rounds; round++) {
            RunResult t = null;
            RunResult r = null;
            for (Side side : order(round)) {
                RunResult result = runner.run(side, round, first);
                first = false;
                (side == Side.TARGET ? target : reference).add(result);
                if (!result.valid()) {
                    return new Outcome(target, reference, String.format(Locale.ROOT, "round %d/%d: the %s run is invalid: %s",
                            round, rounds, side.label(), String.join("; ", result.invalidReasons())));
                }
                if (side == Side.TARGET) {
                    t = result;
                } else {
                    r = result;
                }
            }
            progress.accept(new Round(round, rounds, order(round).getFirst(), t, r));
        }
        return new Outcome(target, reference, null);
    }

    /**
     * @throws IllegalArgumentException unless {@code rounds} is even, at least 2 and at most 1000
     */
    public static void checkRounds(int rounds) {
        if (rounds < 2 || rounds > 1000 || rounds % 2 != 0) {
            throw new IllegalArgumentException("must be an even number from 2 to 1000 (each side runs first in half of the"
                    + " rounds, so that drift cancels), was " + rounds);
        }
    }
}
