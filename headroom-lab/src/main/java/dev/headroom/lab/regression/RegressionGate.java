package dev.headroom.lab.regression;

import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A statistical regression gate: is the target slower than a reference by more than a threshold, beyond what
 * the noise of this machine can explain?
 *
 * <p><b>Design.</b> The machines this runs on are small, shared and drift by ±15 % between runs, so two runs a
 * minute apart differ by more than most regressions worth catching. The honest reference is therefore measured
 * in the same run, interleaved with the target ({@link Rounds}: target then reference, then reference then
 * target, …, so that a linear drift over the run falls on both sides alike), and the figures compared are
 * p50 and p99 of the corrected latency and, in the closed model, the throughput ({@link Figure}).
 *
 * <p><b>The resampling unit is the round.</b> A run's per-second windows are not independent samples: a GC
 * cycle, the JIT, a neighbour's burst or a slow drift lasts several seconds, so neighbouring seconds share it, and a
 * bootstrap that draws seconds one by one treats a 30 s run as 30 independent looks when it holds only a few,
 * and gives an interval too narrow to be believed. A round, by contrast, carries every source of noise the
 * comparison must beat (sampling noise, drift within it, the machine's state at the time), and rounds are close
 * to independent of each other. So {@link #interleaved} resamples whole rounds, with replacement, and keeps each
 * round's two sides together (a paired bootstrap): what slowed the machine for both sides of a round cancels in
 * the ratio instead of widening the interval. Each resample pools the drawn rounds' histograms and takes their p50
 * and p99 (and requests per second) as the whole run's figures are taken, and the change is
 * target / reference − 1. The price of an honest unit is that there are few of them: with 6 rounds the interval
 * is about as wide as the spread of the 6 rounds' own changes, so a change is flagged only when nearly every round
 * shows it; more rounds narrow it.
 *
 * <p>Few rounds make the plain percentile interval too narrow, so the interval is Hesterberg's expanded
 * percentile interval ({@link Bootstrap}); with 6 rounds it takes the 0.24th and 99.76th percentiles of
 * {@value #RESAMPLES} resamples for its 95 %. The seed is fixed ({@value #SEED}), so the same runs give the same
 * verdict.
 *
 * <p><b>A regression</b> is declared only when the whole interval lies beyond the threshold: above it for
 * latency, below minus it for throughput ({@link Change}).
 *
 * <p><b>A stored reference</b> ({@link #stored}, a result written earlier by {@code headroom load --json}) is a
 * single sample from another run: its figures are taken as exact, and the interval comes from the target's
 * per-second windows alone, drawn in moving blocks of n^(1/3) seconds so that neighbouring seconds stay together.
 * That interval cannot see the drift between the two runs, which is why the caller warns about it.
 *
 * <p>Stateless and thread-safe; the statistics of a 6-round comparison take about 0.2 s.
 */
public final class RegressionGate {
    /** Bootstrap resamples per comparison. */
    public static final int RESAMPLES = 10_000;
    /** The bootstrap's seed: fixed, so that a verdict is reproducible from the same runs. */
    public static final long SEED = 20_261_201L;
    /** The interval's coverage. */
    public static final double CONFIDENCE = 0.95;
    /** Rounds of an interleaved comparison when none are asked for. */
    public static final int DEFAULT_ROUNDS = 6;
    /** The largest tolerated change when none is asked for: 10 %. */
    public static final double DEFAULT_THRESHOLD = 0.10;

    private RegressionGate() {
    }

    /**
     * Compares the target's rounds with the reference's, round i of one with round i of the other (the paired
     * bootstrap of the class comment). Throughput is compared when the runs are closed-model.
     *
     * @param reference how the reference is named in the result (its origin)
     * @param threshold the largest tolerated change, a fraction in (0, 1)
     * @throws IllegalArgumentException with fewer than 2 rounds, unequal rounds, or a threshold outside (0, 1)
     */
    public static Comparison interleaved(String reference, List<RunResult> targetRounds, List<RunResult> referenceRounds,
                                         double threshold) {
        checkThreshold(threshold);
        if (targetRounds.size() < 2 || targetRounds.size() != referenceRounds.size()) {
            throw new IllegalArgumentException("an interleaved comparison needs at least 2 rounds of each side, was "
                    + targetRounds.size() + " and " + referenceRounds.size());
        }
        Pool target = new Pool(targetRounds.stream().map(Sample::of).toList());
        Pool ref = new Pool(referenceRounds.stream().map(Sample::of).toList());
        Bootstrap.Distribution d = Bootstrap.paired(target, ref, RESAMPLES, SEED);
        double[] t = whole(target);
        double[] r = whole(ref);
        return new Comparison(reference, "interleaved", targetRounds.size(), "paired rounds", RESAMPLES, SEED, threshold,
                changes(d, t, r, closed(targetRounds.getFirst()), threshold));
    }

    /**
     * Compares the target with a result stored by an earlier run: the reference's figures as exact, the interval
     * from the target's per-second windows (moving blocks, see the class comment).
     *
     * @throws IllegalArgumentException when the target has fewer than 2 windows, or the threshold is outside (0, 1)
     */
    public static Comparison stored(String reference, RunResult target, StoredReference stored, double threshold) {
        checkThreshold(threshold);
        List<Interval> windows = target.intervals().stream().filter(w -> w.corrected().getTotalCount() > 0).toList();
        if (windows.size() < 2) {
            throw new IllegalArgumentException("a comparison with a stored reference needs at least 2 seconds with answers, had "
                    + windows.size());
        }
        Pool pool = new Pool(windows.stream().map(Sample::of).toList());
        double[] r = new double[Pool.FIGURES];
        r[Pool.P50] = stored.p50Ms();
        r[Pool.P99] = stored.p99Ms();
        r[Pool.THROUGHPUT] = stored.requestRate();
        Bootstrap.Distribution d = Bootstrap.blocks(pool, r, RESAMPLES, SEED);
        // the target's own figures from its whole histogram, not from the windows (the last may be partial)
        Pool whole = new Pool(List.of(Sample.of(target)));
        double[] t = whole(whole);
        return new Comparison(reference, "stored", windows.size(),
                "moving blocks of " + Bootstrap.blockLength(windows.size()) + " s", RESAMPLES, SEED, threshold,
                changes(d, t, r, closed(target), threshold));
    }

    private static boolean closed(RunResult run) {
        return run.model().equals("closed");
    }

    private static double[] whole(Pool pool) {
        int[] ones = new int[pool.size()];
        java.util.Arrays.fill(ones, 1);
        double[] out = new double[Pool.FIGURES];
        pool.figures(ones, out);
        return out;
    }

    private static List<Change> changes(Bootstrap.Distribution d, double[] t, double[] r, boolean throughput, double threshold) {
        double tail = Bootstrap.expandedTail(d.units());
        List<Change> changes = new ArrayList<>();
        for (Figure f : Figure.values()) {
            if (f == Figure.THROUGHPUT && !throughput) {
                continue;
            }
            double[] sorted = d.changes()[f.ordinal()];
            changes.add(Change.of(f, t[f.ordinal()], r[f.ordinal()], Bootstrap.quantile(sorted, tail),
                    Bootstrap.quantile(sorted, 1 - tail), threshold));
        }
        return changes;
    }

    /**
     * Reads a threshold such as {@code 10%} or {@code 2.5%} as a fraction (0.10, 0.025).
     *
     * @throws IllegalArgumentException unless it is a percentage above 0 % and below 100 %
     */
    public static double parseThreshold(String text) {
        String s = text == null ? "" : text.strip();
        double percent;
        try {
            if (!s.endsWith("%")) {
                throw new NumberFormatException();
            }
            percent = Double.parseDouble(s.substring(0, s.length() - 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a percentage such as 10%, was '" + text + "'");
        }
        if (!(percent > 0 && percent < 100)) {
            throw new IllegalArgumentException("must be above 0% and below 100%, was '" + text + "'");
        }
        return percent / 100;
    }

    private static void checkThreshold(double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be a fraction in (0, 1), was " + threshold);
        }
    }
}
