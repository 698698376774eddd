package dev.headroom.experiments.overload;

import dev.headroom.experiments.Median;
import dev.headroom.experiments.edge.ServerProcess;
import dev.headroom.lab.run.Latency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Experiment 3, the tail: two upstreams that answer at once but stall 2 % of requests by 100 ms (a seeded draw per
 * request, each upstream its own seed), behind two edges in their own JVMs, one without hedging and one hedging
 * GETs at p97 with at most 5 % extra tries. The same open-model load goes through each in turn (interleaved,
 * medians over the rounds); extra load is what the upstreams counted beyond the requests offered.
 */
final class HedgingExperiment {
    static final double STALL_SHARE = 0.02;
    static final long STALL_MILLIS = 100;
    static final String HEDGE = "p97,max=5%";

    private HedgingExperiment() {
    }

    static HedgingResult run(OverloadRig rig) throws Exception {
        double rate = rig.quick() ? 300 : 1_000;
        Path folder = rig.folder("hedging");
        try (ServerProcess one = ResilienceEdge.upstream(rig, "upstream-1", rig.seed(), 0, STALL_SHARE, STALL_MILLIS, 0, folder);
             ServerProcess two = ResilienceEdge.upstream(rig, "upstream-2", rig.seed() + 1, 0, STALL_SHARE, STALL_MILLIS, 0, folder);
             ResilienceEdge.Running plain = ResilienceEdge.start(rig, "edge-unhedged", "20%,min=3", "off", List.of(one.url(), two.url()), folder);
             ResilienceEdge.Running hedged = ResilienceEdge.start(rig, "edge-hedged", "20%,min=3", HEDGE, List.of(one.url(), two.url()), folder)) {
            UpstreamLoad load = new UpstreamLoad(rig, List.of(one, two));
            rig.progress().line(String.format(Locale.ROOT, "tail: 2 upstreams stalling %.0f %% of requests by %d ms, %.0f req/s offered, "
                    + "unhedged vs hedged %s, %s", STALL_SHARE * 100, STALL_MILLIS, rate, HEDGE, load.plan()));
            List<Double> p99 = new ArrayList<>();
            List<Double> p999 = new ArrayList<>();
            List<Double> p99Hedged = new ArrayList<>();
            List<Double> p999Hedged = new ArrayList<>();
            List<Double> extra = new ArrayList<>();
            load.interleaved(plain, hedged, rate, (round, hedging, m) -> {
                Latency l = Latency.of(m.run().corrected());
                (hedging ? p99Hedged : p99).add(l.p99());
                (hedging ? p999Hedged : p999).add(l.p999());
                if (hedging) {
                    extra.add(m.amplification() - 1);
                }
                rig.progress().indented().line(String.format(Locale.ROOT, "round %d %-8s: %d requests, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
                        + "upstream tries %.3fx, hedges sent %d, won %d, denied %d", round, hedging ? "hedged" : "unhedged", m.run().requests(),
                        l.p50(), l.p99(), l.p999(), m.amplification(), m.edge("hedges sent"), m.edge("hedges won"), m.edge("hedges denied")));
            });
            HedgingResult r = new HedgingResult(rate, Median.of(p99Hedged), Median.of(p99), Median.of(p999Hedged), Median.of(p999), Median.of(extra));
            rig.progress().line(String.format(Locale.ROOT, "tail: p99 %.2f ms hedged vs %.2f ms unhedged (%.2fx), p99.9 %.2f vs %.2f ms, "
                    + "%.1f %% extra requests", r.p99MsHedged(), r.p99MsUnhedged(), r.p99MsHedged() / r.p99MsUnhedged(), r.p999MsHedged(),
                    r.p999MsUnhedged(), 100 * r.extraRequestsShare()));
            return r;
        }
    }
}
