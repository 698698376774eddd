package dev.headroom.experiments.overload;

import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.HtmlReports;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.ReportTable;
import dev.headroom.experiments.edge.EdgeChecks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The overload lab's result as a console summary and a self-contained HTML page (the JSON is the result itself). */
final class OverloadLabReport {
    private OverloadLabReport() {
    }

    static List<ReportTable> tables(OverloadLabResult r) {
        List<ReportTable> t = new ArrayList<>();
        if (r.overload() != null) {
            OverloadResult o = r.overload();
            t.add(new ReportTable("Overload at 2x capacity", String.format("capacity %,.0f/s (p99 < %.0f ms), offered %,.0f/s", o.capacityRps(), o.sloP99Ms(),
                    o.offeredRps()), List.of("", "goodput/s", "of capacity", "admitted p99 ms", "shed", "checkout p99 ms", "CPU us/rejection"),
                    List.of(side("with protection", o.with(), o.capacityRps()), side("without", o.without(), o.capacityRps()))));
        }
        if (r.retryStorm() != null) {
            RetryStormResult s = r.retryStorm();
            t.add(new ReportTable("Retry storm", String.format("an upstream failing %.0f %% of requests, %,.0f/s offered through the edge", 100 * s.failureShare(),
                    s.offeredRps()), List.of("", "upstream requests per request", "succeeded"),
                    List.of(List.of("naive (3 attempts)", x(s.naiveAmplification()), pct(s.naiveSuccessShare())),
                            List.of("10 % retry budget", x(s.budgetAmplification()), pct(s.budgetSuccessShare())))));
        }
        if (r.hedging() != null) {
            HedgingResult h = r.hedging();
            t.add(new ReportTable("Tail: hedged GETs", String.format("2 upstreams stalling 2 %% of requests by 100 ms, %,.0f/s offered", h.offeredRps()),
                    List.of("", "p99 ms", "p99.9 ms", "extra requests"),
                    List.of(List.of("unhedged", ms(h.p99MsUnhedged()), ms(h.p999MsUnhedged()), "-"),
                            List.of("hedged", ms(h.p99MsHedged()), ms(h.p999MsHedged()), pct(h.extraRequestsShare())))));
        }
        if (r.bulkhead() != null) {
            BulkheadResult b = r.bulkhead();
            t.add(new ReportTable("Noisy neighbour", String.format("checkout at %,.0f/s beside a flood of slow searches at %,.0f/s", b.checkoutRps(), b.searchRps()),
                    List.of("", "checkout p99 ms"), List.of(List.of("checkout alone", ms(b.checkoutP99MsAlone())),
                    List.of("flood, no bulkheads", ms(b.checkoutP99MsWithout())), List.of("flood, bulkheads", ms(b.checkoutP99MsWith())))));
        }
        if (r.rateLimit() != null) {
            RateLimitResult l = r.rateLimit();
            t.add(new ReportTable("Rate-limit accuracy", String.format("%,.0f/s configured, %,.0f/s offered, admitted over %.0f s after the burst drained",
                    l.configuredRps(), l.offeredRps(), l.seconds()), List.of("", "admitted/s", "error"),
                    List.of(List.of("local (one edge)", String.format("%,.2f", l.localAdmittedRps()), signedPct(l.localAdmittedRps() / l.configuredRps() - 1)),
                            List.of("global (two edges, Redis)", String.format("%,.2f", l.globalAdmittedRps()),
                                    signedPct(l.globalAdmittedRps() / l.configuredRps() - 1)))));
        }
        if (r.deadlines() != null) {
            DeadlinesResult d = r.deadlines();
            t.add(new ReportTable("Deadlines", String.format("%,d requests whose client gives up after %.0f ms", d.requests(), d.deadlineMs()),
                    List.of("", "database work past the deadline, ms"),
                    List.of(List.of("without propagation", String.format("%,.0f", d.wastedMsWithout())),
                            List.of("with propagation", String.format("%,.0f", d.wastedMsWith())))));
        }
        return t;
    }

    static void console(LabOutcome<OverloadLabResult> outcome, PrintWriter out) {
        out.println();
        out.println(outcome.result().pinning());
        tables(outcome.result()).forEach(t -> t.print(out));
        out.println();
        EdgeChecks.print(outcome.checks(), outcome.elapsedSeconds(), out);
    }

    static void html(LabOutcome<OverloadLabResult> outcome, OverloadLabOptions o, Path file) throws IOException {
        StringBuilder h = HtmlReports.page("Headroom overload lab");
        h.append(String.format("<p>Each mechanism measured with and without it in the same run. %s. %s%s. Took %.0f s.</p>\n",
                HtmlReports.escape(outcome.result().pinning()), ReportFiles.machine(),
                o.quick() ? "; <b>--quick</b>: short runs, a smoke test, not a measurement" : "", outcome.elapsedSeconds()));
        tables(outcome.result()).forEach(t -> t.appendHtml(h));
        HtmlReports.checks(h, outcome.checks());
        h.append("<p>Command: <code>headroom lab overload").append(o.quick() ? " --quick" : "").append("</code></p>\n</body></html>\n");
        Files.writeString(file, h);
    }

    private static List<String> side(String name, OverloadResult.Side s, double capacity) {
        return List.of(name, String.format("%,.0f", s.goodputRps()), pct(s.goodputRps() / capacity), ms(s.p99Ms()), pct(s.shedShare()), ms(s.criticalP99Ms()),
                Double.isNaN(s.cpuMicrosPerReject()) ? "-" : String.format("%.0f", s.cpuMicrosPerReject()));
    }

    private static String ms(double v) {
        return String.format("%.1f", v);
    }

    private static String x(double v) {
        return String.format("%.2fx", v);
    }

    private static String pct(double share) {
        return String.format("%.1f %%", 100 * share);
    }

    private static String signedPct(double share) {
        return String.format("%+.2f %%", 100 * share);
    }
}
