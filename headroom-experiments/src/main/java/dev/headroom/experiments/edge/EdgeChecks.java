package dev.headroom.experiments.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lab's acceptance checks, each saying what it compared; a check whose experiment did not run is left out.
 *
 * <p>The proxy is held to nginx, the reference for a one-worker event-loop proxy, not to direct: every proxy adds
 * a hop, and the question is whether Headroom's hop costs more than nginx's. The slow-node bounds are what a
 * latency-aware balancer is for: it must all but stop sending to a node 50 ms slow, and keep its tail near the
 * fast nodes', where round robin's p99 is the slow node's 50 ms.
 */
public final class EdgeChecks {
    static final double MIN_RATIO_VS_NGINX = 0.9;
    static final double MAX_ADDED_P99_OVER_NGINX_MS = 1.0;
    static final double MAX_PEAK_EWMA_SLOW_SHARE = 0.01;
    static final double MAX_PEAK_EWMA_P99_VS_ROUND_ROBIN = 0.2;
    /** The guides' enterprise error SLO. */
    static final double MAX_FAILOVER_ERROR_SHARE = 0.0001;
    /** Ratios of doubles: a bound met exactly must not fail on the last bit. */
    private static final double ROUNDING = 1e-9;

    private EdgeChecks() {
    }

    /** One check: what it bounds, whether it held, and the figures. */
    public record Check(String name, boolean passed, String detail) { }

    /** Each check as {@code PASS  name: detail} (or FAIL), then the verdict and how long the lab took. */
    public static void print(List<Check> checks, double elapsedSeconds, java.io.PrintWriter out) {
        for (Check c : checks) {
            out.printf("%s  %s: %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.detail());
        }
        out.printf("%s in %.0f s%n", checks.stream().allMatch(Check::passed) ? "all checks passed" : "some checks FAILED", elapsedSeconds);
        out.flush();
    }

    static List<Check> of(EdgeLab.Details d) {
        List<Check> checks = new ArrayList<>();
        if (d.proxyCost() != null) {
            EdgeLabResult.ProxyCost p = d.proxyCost().result();
            checks.add(new Check("proxy cost: Headroom's max rate >= " + MIN_RATIO_VS_NGINX + "x nginx's", p.ratioVsNginx() >= MIN_RATIO_VS_NGINX - ROUNDING,
                    String.format("%,.0f vs %,.0f req/s (%.2fx)", p.headroomRps(), p.nginxRps(), p.ratioVsNginx())));
            checks.add(new Check("proxy cost: Headroom's added p99 within " + (int) MAX_ADDED_P99_OVER_NGINX_MS + " ms of nginx's",
                    p.addedP99Ms() <= p.nginxAddedP99Ms() + MAX_ADDED_P99_OVER_NGINX_MS + ROUNDING,
                    String.format("+%.3f ms vs +%.3f ms over direct at %,.0f req/s", p.addedP99Ms(), p.nginxAddedP99Ms(), p.offeredRps())));
        }
        if (d.slowNode() != null) {
            EdgeLabResult.SlowNode ewma = d.slowNode().result().get("peak-ewma");
            EdgeLabResult.SlowNode rr = d.slowNode().result().get("round-robin");
            checks.add(new Check("slow node: peak-ewma sends <= " + (int) (100 * MAX_PEAK_EWMA_SLOW_SHARE) + " % to the slow node",
                    ewma.slowShare() <= MAX_PEAK_EWMA_SLOW_SHARE + ROUNDING,
                    String.format("%.2f %% of tries (round robin %.2f %%)", 100 * ewma.slowShare(), 100 * rr.slowShare())));
            double ratio = ewma.p99Ms() / rr.p99Ms();
            checks.add(new Check("slow node: peak-ewma p99 <= " + MAX_PEAK_EWMA_P99_VS_ROUND_ROBIN + "x round robin's",
                    ratio <= MAX_PEAK_EWMA_P99_VS_ROUND_ROBIN + ROUNDING,
                    String.format("%.2f vs %.2f ms (%.3fx)", ewma.p99Ms(), rr.p99Ms(), ratio)));
        }
        if (d.failover() != null) {
            EdgeLabResult.Failover f = d.failover();
            double share = f.requests() == 0 ? 1 : (double) f.errors() / f.requests();
            checks.add(new Check("failover: errors < " + 100 * MAX_FAILOVER_ERROR_SHARE + " % with retries and ejection",
                    f.requests() > 0 && share < MAX_FAILOVER_ERROR_SHARE,
                    String.format("%,d of %,d requests (without retries and ejection: %,d of %,d); ejected %d ms after the kill",
                            f.errors(), f.requests(), f.errorsWithoutRetries(), f.requestsWithoutRetries(), f.ejectMs())));
            checks.add(new Check("failover: every acknowledged POST with an Idempotency-Key in the ledger, once",
                    f.idempotentPosts() > 0 && f.postsMissing() == 0 && f.postsDuplicated() == 0,
                    String.format("%,d acknowledged, %d missing, %d duplicated", f.idempotentPosts(), f.postsMissing(), f.postsDuplicated())));
        }
        if (d.scaleOut() != null) {
            List<EdgeLabResult.ScaleOutPoint> points = d.scaleOut();
            EdgeLabResult.ScaleOutPoint one = points.getFirst();
            EdgeLabResult.ScaleOutPoint most = points.getLast();
            String fit = d.scaleFit() == null ? "no fit" : String.format("USL sigma %.3f, kappa %.4f, %s-bound", d.scaleFit().sigma(),
                    d.scaleFit().kappa(), d.scaleFit().bound());
            checks.add(new Check("scale-out: capacity grows with nodes", points.size() > 1 && most.capacityRps() > one.capacityRps(),
                    String.format("%s; %s", points.stream().map(p -> String.format("%d: %,.0f/s", p.nodes(), p.capacityRps()))
                            .collect(java.util.stream.Collectors.joining(", ")), fit)));
        }
        List<String> invalid = Stream.concat(d.proxyCost() == null ? Stream.empty() : d.proxyCost().invalid().stream(),
                d.slowNode() == null ? Stream.empty() : d.slowNode().invalid().stream()).toList();
        long errors = (d.proxyCost() == null ? 0 : d.proxyCost().targets().stream().mapToLong(ProxyCostExperiment.Target::errors).sum())
                + (d.slowNode() == null ? 0 : d.slowNode().algorithms().stream().flatMap(a -> a.rounds().stream())
                .mapToLong(SlowNodeExperiment.Round::errors).sum());
        checks.add(new Check("every run valid and without errors", invalid.isEmpty() && errors == 0,
                invalid.isEmpty() && errors == 0 ? "the generator kept its plan in every open-model run; no request failed"
                        : errors + " failed requests" + (invalid.isEmpty() ? "" : "; invalid: " + String.join(" | ", invalid))));
        return checks;
    }
}
