package dev.headroom.experiments.overload;

import dev.headroom.experiments.Median;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Experiment 4, the noisy neighbour: checkouts at a modest rate alone, then beside a flood of searches that each
 * hold a connection for a database round trip ({@link ShopPair}), on the node whose bulkheads keep searches to
 * their share of the pool, a tenth of it kept for checkout ({@code admission} switch) and on the node without. The
 * flood is twice what the pool serves at a search's unloaded latency ({@code 2 x pool / latency}), so it
 * overloads either node. Interleaved (with, without, with, without; once each in quick mode),
 * medians reported.
 */
final class BulkheadExperiment {
    static final double CHECKOUT_RPS = 20;

    private BulkheadExperiment() {
    }

    static BulkheadResult run(OverloadRig rig) throws Exception {
        ProgressLog progress = rig.progress();
        boolean quick = rig.quick();
        Duration warm = Duration.ofMillis(quick ? 300 : 2000);
        Duration measured = Duration.ofMillis(quick ? 1000 : 10_000);
        ShopPair shops = rig.shops();
        double flood = 2 * ShopPair.POOL * 1000 / searchMs(shops.without(), rig.seed());
        progress.line(String.format("bulkhead: %.0f checkouts/s alone, then beside %.0f searches/s (twice what the pool serves at a"
                + " search's unloaded latency), with and without bulkheads", CHECKOUT_RPS, flood));
        double alone = checkoutP99(shops.without(), 0, warm, measured, rig.seed(), "alone", progress.indented());
        checkoutP99(shops.with(), 0, warm, measured, rig.seed(), "alone, on the node with bulkheads", progress.indented());
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int round = 0; round < (quick ? 1 : 2); round++) {
            with.add(checkoutP99(shops.with(), flood, warm, measured, rig.seed() + round, "with bulkheads", progress.indented()));
            without.add(checkoutP99(shops.without(), flood, warm, measured, rig.seed() + round, "without", progress.indented()));
        }
        return new BulkheadResult(CHECKOUT_RPS, flood, Median.of(with), Median.of(without), alone);
    }

    /** A search's median latency, unloaded (10/s), ms. */
    private static double searchMs(Node node, long seed) throws InterruptedException {
        try (OpenLoad load = new OpenLoad(ShopPair.url(node))) {
            OpenLoad.Tally t = load.run(List.of(new OpenLoad.Stream("search", 10, ShopPair.searches(seed))), Duration.ZERO,
                    Duration.ofSeconds(2), seed).getFirst();
            return t.admitted().getValueAtPercentile(50) / 1000.0;
        }
    }

    private static double checkoutP99(Node node, double searchRate, Duration warm, Duration measured, long seed, String label,
                                      ProgressLog progress) throws InterruptedException {
        List<OpenLoad.Stream> streams = new ArrayList<>(List.of(new OpenLoad.Stream("checkout", CHECKOUT_RPS, ShopPair.checkouts(seed))));
        if (searchRate > 0) {
            streams.add(new OpenLoad.Stream("search", searchRate, ShopPair.searches(seed)));
        }
        try (OpenLoad load = new OpenLoad(ShopPair.url(node))) {
            List<OpenLoad.Tally> t = load.run(streams, warm, measured, seed);
            OpenLoad.Tally checkout = t.getFirst();
            String searches = t.size() < 2 ? "" : String.format("; searches: %d ok, %d shed, %d failed of %d, p99 %.1f ms", t.get(1).ok(),
                    t.get(1).shed(), t.get(1).failed(), t.get(1).sent(), t.get(1).p99AdmittedMs());
            progress.line(String.format("%s: checkout p99 %.1f ms (%d of %d ok, %d shed)%s", label, checkout.p99AdmittedMs(), checkout.ok(),
                    checkout.sent(), checkout.shed(), searches));
            return checkout.p99AdmittedMs();
        }
    }
}
