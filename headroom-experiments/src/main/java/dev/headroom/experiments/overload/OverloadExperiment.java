package dev.headroom.experiments.overload;

import dev.headroom.experiments.Median;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Experiment 1: searches (one database round trip each, {@link ShopPair}) offered at twice their capacity, with
 * checkouts beside them at a modest rate, on the node with the {@code admission} switch and on the node without.
 *
 * <p>Capacity is measured first, in the same run, on the node without protection, for the same mix the overload
 * sends: searches, and checkouts beside them at {@value #CHECKOUT_SHARE} of the searches' rate (a checkout costs
 * several round trips, a search one: capacity measured on searches alone would not be the capacity of this work).
 * Offered rates rise by a quarter until the p99 of either class passes the SLO (twice in a row: a miss is probed
 * again), then one bisection; the capacity is the highest mix that kept it, searches and checkouts per second. Then
 * each side is offered twice the searches (Poisson) with the checkouts as at capacity, interleaved (with, without,
 * with, without; once each in quick mode), and the medians are reported. CPU per rejection: the protected node is
 * also offered 1.5x, where its limit admits about as many as at 2x; the two runs' CPU solved as admitted × a + shed
 * × b ({@link #cpuPerRejection}). The node's CPU is {@link ProcessHandle}'s total (10 ms ticks).
 */
final class OverloadExperiment {
    static final double SLO_P99_MS = 100;
    /** Checkouts beside the searches: a modest share of the capacity. */
    static final double CHECKOUT_SHARE = 0.05;
    /** Fewer extra rejections than this and the CPU margin is within the 10 ms ticks' noise: not reported. */
    static final long MIN_MARGINAL_SHED = 1000;

    private OverloadExperiment() {
    }

    static OverloadResult run(OverloadRig rig) throws Exception {
        ProgressLog progress = rig.progress();
        progress.line("overload: searches at 2x their capacity, checkouts beside them, with and without admission control");
        boolean quick = rig.quick();
        Duration warm = Duration.ofMillis(quick ? 300 : 2000);
        Duration probe = Duration.ofMillis(quick ? 700 : 3000);
        Duration overload = Duration.ofMillis(quick ? 1000 : 10_000);
        ShopPair shops = rig.shops();
        double searches;
        try (OpenLoad load = new OpenLoad(ShopPair.url(shops.without()))) {
            searches = capacity(load, warm, probe, rig.seed(), quick, progress.indented());
        }
        double checkoutRate = checkouts(searches);
        double capacity = searches + checkoutRate;
        double offered = 2 * searches;
        progress.indented().line(String.format("capacity %.0f/s at p99 < %.0f ms (%.0f searches and %.0f checkouts); offering %.0f searches/s,"
                + " and the %.0f checkouts/s beside", capacity, SLO_P99_MS, searches, checkoutRate, offered, checkoutRate));
        // CPU per rejection, from two runs of the protected node (1.5x and 2x) that admit about as much and shed unlike.
        Run lower = run(shops.with(), 1.5 * searches, checkoutRate, warm, overload, rig.seed() + 50);
        progress.indented().line(String.format("with, at 1.5x for the CPU margin: %d admitted, %d shed, %.0f ms of the node's CPU",
                lower.admitted(), lower.shed(), lower.cpuMicros() / 1000));
        List<OverloadResult.Side> with = new ArrayList<>();
        List<OverloadResult.Side> without = new ArrayList<>();
        for (int round = 0; round < (quick ? 1 : 2); round++) {
            with.add(side("with", shops.with(), offered, checkoutRate, warm, overload, rig.seed() + round, lower, progress.indented()));
            without.add(side("without", shops.without(), offered, checkoutRate, warm, overload, rig.seed() + round, lower,
                    progress.indented()));
        }
        return new OverloadResult(capacity, offered + checkoutRate, SLO_P99_MS, median(with), median(without));
    }

    /** Checkouts beside {@code searchRate} searches a second. */
    private static double checkouts(double searchRate) {
        return Math.max(2, CHECKOUT_SHARE * searchRate);
    }

    /** The highest offered rate of searches, with their checkouts beside, whose answers' p99 stayed under the SLO in both classes. */
    private static double capacity(OpenLoad load, Duration warm, Duration probe, long seed, boolean quick, ProgressLog progress)
            throws InterruptedException {
        double rate = quick ? 100 : 150;
        double good = 0;
        double bad = Double.NaN;
        for (int i = 0; i < (quick ? 3 : 12) && Double.isNaN(bad); i++) {
            // A miss is probed once more: one pause of the machine's other work should not end the search.
            if (meets(load, rate, warm, probe, seed + i, progress) || !quick && meets(load, rate, warm, probe, seed + 200 + i, progress)) {
                good = rate;
                rate *= 1.25;
            } else {
                bad = rate;
            }
        }
        if (!Double.isNaN(bad) && good > 0 && !quick) {
            double mid = (good + bad) / 2;
            if (meets(load, mid, warm, probe, seed + 100, progress)) {
                good = mid;
            }
        }
        return good > 0 ? good : rate / 2;
    }

    private static boolean meets(OpenLoad load, double rate, Duration warm, Duration probe, long seed, ProgressLog progress)
            throws InterruptedException {
        List<OpenLoad.Tally> both = load.run(streams(rate, checkouts(rate), seed), warm, probe, seed);
        OpenLoad.Tally t = both.get(0);
        OpenLoad.Tally c = both.get(1);
        boolean ok = t.p99AdmittedMs() < SLO_P99_MS && c.p99AdmittedMs() < SLO_P99_MS
                && t.shed() + t.failed() + c.shed() + c.failed() <= (t.sent() + c.sent()) / 1000;
        progress.line(String.format("probe %.0f searches/s: p99 %.1f ms, checkouts p99 %.1f ms, %d of %d failed or shed: %s", rate, t.p99AdmittedMs(),
                c.p99AdmittedMs(), t.shed() + t.failed() + c.shed() + c.failed(), t.sent() + c.sent(), ok ? "within the SLO" : "missed"));
        return ok;
    }

    /** One load on one node: what each stream got, and the node's CPU over the measured window, µs. */
    record Run(List<OpenLoad.Tally> tallies, double cpuMicros) {
        long shed() {
            return tallies.stream().mapToLong(OpenLoad.Tally::shed).sum();
        }

        long admitted() {
            return tallies.stream().mapToLong(t -> t.sent() - t.shed()).sum();
        }
    }

    private static Run run(Node node, double searchRate, double checkoutRate, Duration warm, Duration measured, long seed)
            throws InterruptedException {
        try (OpenLoad load = new OpenLoad(ShopPair.url(node))) {
            double before = ShopPair.cpuSeconds(node);
            List<OpenLoad.Tally> t = load.run(streams(searchRate, checkoutRate, seed), warm, measured, seed);
            // The CPU read spans the warm-up too (same rate): scale it to the measured window.
            double cpu = (ShopPair.cpuSeconds(node) - before) * 1e6 * measured.toNanos() / (double) (warm.toNanos() + measured.toNanos());
            return new Run(t, cpu);
        }
    }

    /**
     * @param lower the protected node's run at 1.5x, for the CPU per rejection ({@link #cpuPerRejection}; NaN with fewer
     *              than {@value #MIN_MARGINAL_SHED} more shed here than there)
     */
    private static OverloadResult.Side side(String name, Node node, double offered, double checkoutRate, Duration warm, Duration measured,
                                            long seed, Run lower, ProgressLog progress) throws InterruptedException {
        Run r = run(node, offered, checkoutRate, warm, measured, seed);
        OpenLoad.Tally search = r.tallies().get(0);
        OpenLoad.Tally checkout = r.tallies().get(1);
        long moreShed = r.shed() - lower.shed();
        double perReject = moreShed < MIN_MARGINAL_SHED ? Double.NaN : cpuPerRejection(lower, r);
        OverloadResult.Side side = new OverloadResult.Side(search.goodputRps(SLO_P99_MS) + checkout.goodputRps(SLO_P99_MS),
                search.p99AdmittedMs(), (double) r.shed() / (search.sent() + checkout.sent()), checkout.p99AdmittedMs(), perReject);
        progress.line(String.format("%s: goodput %.0f/s (searches %.0f/s), admitted p99 %.1f ms, shed %.1f %%, checkout p99 %.1f ms"
                + " (%d of %d ok), %s µs CPU per rejection, %d failed", name, side.goodputRps(), search.goodputRps(SLO_P99_MS), side.p99Ms(),
                100 * side.shedShare(), side.criticalP99Ms(), checkout.ok(), checkout.sent(),
                Double.isNaN(perReject) ? "-" : String.format("%.0f", perReject), search.failed() + checkout.failed()));
        return side;
    }

    /**
     * The two runs' CPU as {@code admitted × a + shed × b}, solved for {@code b}, µs: the protected node's limit binds in
     * both, so they differ mostly in what they shed. NaN when the solution is not a cost (at or below 0: the method's
     * noise, 10 ms ticks and the machine's other work) or the runs do not tell the two apart: not measured, not guessed.
     */
    static double cpuPerRejection(Run one, Run two) {
        double det = (double) two.shed() * one.admitted() - (double) one.shed() * two.admitted();
        if (Math.abs(det) < 1e-9 * Math.max(1, (double) one.admitted() * two.shed())) {
            return Double.NaN;
        }
        double b = (two.cpuMicros() * one.admitted() - one.cpuMicros() * two.admitted()) / det;
        return b > 0 ? b : Double.NaN;
    }

    private static List<OpenLoad.Stream> streams(double searchRate, double checkoutRate, long seed) {
        return List.of(new OpenLoad.Stream("search", searchRate, ShopPair.searches(seed)),
                new OpenLoad.Stream("checkout", checkoutRate, ShopPair.checkouts(seed)));
    }

    private static OverloadResult.Side median(List<OverloadResult.Side> sides) {
        return new OverloadResult.Side(Median.of(sides.stream().map(OverloadResult.Side::goodputRps).toList()),
                Median.of(sides.stream().map(OverloadResult.Side::p99Ms).toList()),
                Median.of(sides.stream().map(OverloadResult.Side::shedShare).toList()),
                Median.of(sides.stream().map(OverloadResult.Side::criticalP99Ms).toList()),
                Median.of(sides.stream().map(OverloadResult.Side::cpuMicrosPerReject).toList()));
    }
}
