package dev.headroom.experiments.edge;

import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.HtmlReports;
import dev.headroom.experiments.ReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** The edge lab's result as a console table, JSON (the result only, snake case) and a self-contained HTML page. */
final class EdgeLabReport {
    private EdgeLabReport() {
    }

    static void console(LabOutcome<EdgeLabResult> outcome, EdgeLab.Details d, PrintWriter out) {
        out.println();
        if (d.proxyCost() != null) {
            ProxyCostExperiment.Run run = d.proxyCost();
            EdgeLabResult.ProxyCost p = run.result();
            out.printf("proxy cost: one nginx return-200 backend; medians of %d interleaved rounds; latency at %,.0f req/s offered to each target%n",
                    p.rounds(), p.offeredRps());
            out.printf("%-9s %12s %10s %10s %12s %12s  %s%n", "target", "max req/s", "p50 ms", "p99 ms", "added p50", "added p99", "max req/s by round");
            ProxyCostExperiment.Target direct = ProxyCostExperiment.find(run.targets(), ProxyCostExperiment.DIRECT).orElseThrow();
            for (ProxyCostExperiment.Target t : run.targets()) {
                boolean isDirect = t == direct;
                out.printf("%-9s %12.0f %10.3f %10.3f %12s %12s  %s%n", t.id(), t.medianMaxRps(), t.medianP50Ms(), t.medianP99Ms(),
                        isDirect ? "-" : String.format("%+.3f", t.medianP50Ms() - direct.medianP50Ms()),
                        isDirect ? "-" : String.format("%+.3f", t.medianP99Ms() - direct.medianP99Ms()),
                        t.maxRps().stream().map(v -> String.format("%.0f", v)).collect(Collectors.joining(" ")));
            }
            run.notes().forEach(n -> out.println("  " + n));
            out.println();
        }
        if (d.slowNode() != null) {
            SlowNodeExperiment.Run run = d.slowNode();
            EdgeLabResult.SlowNode first = run.result().values().iterator().next();
            out.printf("slow node: 3 backends, one %d ms slower; %,.0f req/s offered, %d connections; medians of %d interleaved rounds%n",
                    SlowNodeExperiment.SLOW_ROUND_TRIP.toMillis(), first.offeredRps(), run.connections(), first.rounds());
            out.printf("%-14s %10s %10s %12s  %s%n", "algorithm", "p50 ms", "p99 ms", "slow share", "p99 ms by round / slow share by round");
            for (SlowNodeExperiment.Figures f : run.algorithms()) {
                EdgeLabResult.SlowNode s = run.result().get(f.algorithm());
                out.printf("%-14s %10.3f %10.3f %11.2f%%  %s / %s%n", f.algorithm(), s.p50Ms(), s.p99Ms(), 100 * s.slowShare(),
                        f.rounds().stream().map(r -> String.format("%.2f", r.p99Ms())).collect(Collectors.joining(" ")),
                        f.rounds().stream().map(r -> String.format("%.2f%%", 100 * r.slowShare())).collect(Collectors.joining(" ")));
            }
            out.println();
        }
        if (d.failover() != null) {
            EdgeLabResult.Failover f = d.failover();
            out.printf("failover: 3 shop nodes behind the edge, one killed (SIGKILL) a third into a %d s run at %,.0f req/s, a fifth keyed POST /orders%n",
                    EdgeLab.FAILOVER.duration().toSeconds(), EdgeLab.FAILOVER.rate());
            out.printf("  with retries and ejection:    %,d requests, %,d errors; ejected %d ms after the kill, healthy again after %d ms%n",
                    f.requests(), f.errors(), f.ejectMs(), f.rejoinMs());
            out.printf("  without (1 try, no checks):   %,d requests, %,d errors%n", f.requestsWithoutRetries(), f.errorsWithoutRetries());
            out.printf("  ledger: %,d acknowledged POSTs, %d missing, %d duplicated%n%n", f.idempotentPosts(), f.postsMissing(), f.postsDuplicated());
        }
        if (d.scaleOut() != null) {
            out.printf("scale-out: capacity at p99 < %.0f ms, PostgreSQL %d ms away, %d connection(s) per node%n", EdgeLab.SCALE_OUT.sloP99Ms(),
                    EdgeLab.SCALE_OUT.dbRtt().toMillis(), EdgeLab.SCALE_OUT.poolSize());
            d.scaleOut().forEach(p -> out.printf("  %d node(s): %,8.0f req/s (p99 %.1f ms)%n", p.nodes(), p.capacityRps(), p.p99Ms()));
            if (d.scaleFit() != null) {
                EdgeLabResult.ScaleFit f = d.scaleFit();
                out.printf("  USL: sigma %.3f, kappa %.4f, lambda %,.0f/s, N* %s, %s-bound, R^2 %.3f%n", f.sigma(), f.kappa(), f.lambda(),
                        f.peakNodes() == null ? "none" : String.format("%.1f", f.peakNodes()), f.bound(), f.rSquared());
            }
            out.println();
        }
        EdgeChecks.print(outcome.checks(), outcome.elapsedSeconds(), out);
    }

    static void html(LabOutcome<EdgeLabResult> outcome, EdgeLab.Details d, EdgeLabOptions o, Path file) throws IOException {
        StringBuilder h = HtmlReports.page("Headroom edge lab");
        h.append(String.format("<p>%d interleaved rounds, %.1f s measured per run, %.0f s warm-up; latency from each request's intended send time "
                        + "(open model, Poisson arrivals). %s. Took %.0f s.</p>\n", o.rounds(), o.duration().toMillis() / 1000.0,
                o.warmup().toMillis() / 1000.0, escape(ReportFiles.machine()), outcome.elapsedSeconds()));
        if (d.proxyCost() != null) {
            ProxyCostExperiment.Run run = d.proxyCost();
            EdgeLabResult.ProxyCost p = run.result();
            h.append(String.format("<h2>Proxy cost</h2>\n<p>One nginx <code>return 200</code> backend (1 worker). Maximum rate: closed model, %d "
                    + "connections. Latency: every target offered %,.0f req/s (%.0f%% of the slowest proxy's median maximum). Medians of %d rounds; "
                    + "added = the target's median minus direct's.</p>\n", ProxyCostExperiment.CONNECTIONS, p.offeredRps(),
                    100 * ProxyCostExperiment.LOAD_SHARE, p.rounds()));
            double top = run.targets().stream().mapToDouble(ProxyCostExperiment.Target::medianMaxRps).max().orElse(1);
            ProxyCostExperiment.Target direct = ProxyCostExperiment.find(run.targets(), ProxyCostExperiment.DIRECT).orElseThrow();
            h.append("<table><tr><th>target</th><th>what</th><th>max req/s</th><th></th><th>p50 ms</th><th>p99 ms</th><th>added p50 ms</th>"
                    + "<th>added p99 ms</th><th>max by round</th></tr>\n");
            for (ProxyCostExperiment.Target t : run.targets()) {
                boolean isDirect = t == direct;
                h.append(String.format("<tr><td><code>%s</code></td><td style=\"text-align:left\">%s</td><td>%,.0f</td>"
                                + "<td style=\"text-align:left;width:14em\"><span class=\"bar\" style=\"width:%.1f%%\"></span></td><td>%.3f</td><td>%.3f</td>"
                                + "<td>%s</td><td>%s</td><td>%s</td></tr>\n", escape(t.id()), escape(t.what()), t.medianMaxRps(), 100 * t.medianMaxRps() / top,
                        t.medianP50Ms(), t.medianP99Ms(), isDirect ? "" : String.format("%+.3f", t.medianP50Ms() - direct.medianP50Ms()),
                        isDirect ? "" : String.format("%+.3f", t.medianP99Ms() - direct.medianP99Ms()),
                        t.maxRps().stream().map(v -> String.format("%,.0f", v)).collect(Collectors.joining(", "))));
            }
            h.append("</table>\n<ul>");
            run.notes().forEach(n -> h.append("<li>").append(escape(n)).append("</li>"));
            h.append("</ul>\n");
        }
        if (d.slowNode() != null) {
            SlowNodeExperiment.Run run = d.slowNode();
            Map<String, EdgeLabResult.SlowNode> result = run.result();
            EdgeLabResult.SlowNode first = result.values().iterator().next();
            h.append(String.format("<h2>Slow node</h2>\n<p>Three nginx backends, the third behind a TCP proxy adding %d ms to each exchange; the "
                            + "edge in front with each algorithm, %,.0f req/s offered, %d connections. Medians of %d rounds. The slow share is of the "
                            + "edge's tries in the measured part.</p>\n", SlowNodeExperiment.SLOW_ROUND_TRIP.toMillis(), first.offeredRps(),
                    run.connections(), first.rounds()));
            double top = result.values().stream().mapToDouble(EdgeLabResult.SlowNode::p99Ms).max().orElse(1);
            h.append("<table><tr><th>algorithm</th><th>p50 ms</th><th>p99 ms</th><th></th><th>slow share</th><th>p99 by round</th><th>slow share by round</th></tr>\n");
            for (SlowNodeExperiment.Figures f : run.algorithms()) {
                EdgeLabResult.SlowNode s = result.get(f.algorithm());
                h.append(String.format("<tr><td><code>%s</code></td><td>%.3f</td><td>%.2f</td>"
                                + "<td style=\"text-align:left;width:14em\"><span class=\"bar\" style=\"width:%.1f%%\"></span></td><td>%.2f%%</td><td>%s</td><td>%s</td></tr>\n",
                        escape(f.algorithm()), s.p50Ms(), s.p99Ms(), 100 * s.p99Ms() / top, 100 * s.slowShare(),
                        f.rounds().stream().map(r -> String.format("%.2f", r.p99Ms())).collect(Collectors.joining(", ")),
                        f.rounds().stream().map(r -> String.format("%.2f%%", 100 * r.slowShare())).collect(Collectors.joining(", "))));
            }
            h.append("</table>\n");
        }
        if (d.failover() != null) {
            EdgeLabResult.Failover f = d.failover();
            h.append(String.format("<h2>Failover</h2>\n<p>Three shop nodes behind the edge; one killed (SIGKILL) a third into a %d s run at %,.0f "
                            + "req/s, a fifth of them POST /orders with an Idempotency-Key; then the same run without retries and ejection.</p>\n"
                            + "<table><tr><th>run</th><th>requests</th><th>errors</th></tr><tr><td>retries and ejection</td><td>%,d</td><td>%,d</td></tr>"
                            + "<tr><td>one try, no checks</td><td>%,d</td><td>%,d</td></tr></table>\n<p>Ejected %d ms after the kill, healthy again "
                            + "after %d ms; ledger: %,d acknowledged POSTs, %d missing, %d duplicated.</p>\n", EdgeLab.FAILOVER.duration().toSeconds(),
                    EdgeLab.FAILOVER.rate(), f.requests(), f.errors(), f.requestsWithoutRetries(), f.errorsWithoutRetries(), f.ejectMs(), f.rejoinMs(),
                    f.idempotentPosts(), f.postsMissing(), f.postsDuplicated()));
        }
        if (d.scaleOut() != null) {
            h.append(String.format("<h2>Scaling out</h2>\n<p>Capacity at p99 &lt; %.0f ms, PostgreSQL %d ms away, %d connection(s) per node.</p>\n"
                    + "<table><tr><th>nodes</th><th>capacity req/s</th><th>p99 ms</th></tr>\n", EdgeLab.SCALE_OUT.sloP99Ms(),
                    EdgeLab.SCALE_OUT.dbRtt().toMillis(), EdgeLab.SCALE_OUT.poolSize()));
            d.scaleOut().forEach(p -> h.append(String.format("<tr><td>%d</td><td>%,.0f</td><td>%.1f</td></tr>\n", p.nodes(), p.capacityRps(), p.p99Ms())));
            h.append("</table>\n");
            if (d.scaleFit() != null) {
                EdgeLabResult.ScaleFit f = d.scaleFit();
                h.append(String.format("<p>USL fit: &sigma; %.3f, &kappa; %.4f, &lambda; %,.0f/s, N* %s, %s-bound, R&sup2; %.3f.</p>\n", f.sigma(), f.kappa(),
                        f.lambda(), f.peakNodes() == null ? "none" : String.format("%.1f", f.peakNodes()), escape(f.bound()), f.rSquared()));
            }
        }
        HtmlReports.checks(h, outcome.checks());
        h.append("</body></html>\n");
        Files.writeString(file, h);
    }

    private static String escape(String s) {
        return HtmlReports.escape(s);
    }
}
