package dev.headroom.experiments.faults;

import dev.headroom.experiments.HtmlReports;
import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.ReportTable;
import dev.headroom.experiments.edge.EdgeChecks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The fault lab's result as a console summary and a self-contained HTML page (the JSON is the result itself). */
final class FaultsLabReport {
    private FaultsLabReport() {
    }

    static void console(LabOutcome<FaultsLabResult> outcome, PrintWriter out) {
        FaultsLabResult r = outcome.result();
        out.println();
        out.println(setUp(r));
        out.println(slo(r));
        table(r).print(out);
        out.println();
        EdgeChecks.print(outcome.checks(), outcome.elapsedSeconds(), out);
    }

    static void html(LabOutcome<FaultsLabResult> outcome, Path file) throws IOException {
        FaultsLabResult r = outcome.result();
        StringBuilder h = HtmlReports.page("Headroom fault lab");
        h.append("<p>").append(HtmlReports.escape(setUp(r))).append(" Took ").append(String.format("%.0f", outcome.elapsedSeconds())).append(" s.</p>\n");
        h.append("<p>").append(HtmlReports.escape(slo(r))).append("</p>\n");
        table(r).appendHtml(h);
        h.append("<h2>Timelines</h2>\n<p>Each fault's run in ").append(r.bucketMs()).append(" ms buckets by intended send time: "
                + "<span class=\"pass\">&#9632;</span> within the SLO, <span class=\"fail\">&#9632;</span> not; <b>|</b> marks the fault's start and end. "
                + "Hover a bucket for its figures.</p>\n");
        for (FaultsLabResult.FaultResult f : r.faults()) {
            h.append("<p><b>").append(HtmlReports.escape(f.name())).append("</b>: ").append(HtmlReports.escape(f.description())).append("<br>");
            long[] marks = f.faultMs() >= 0 ? new long[] {0, f.faultMs()} : new long[] {0};
            int next = 0;
            for (FaultsLabResult.Bucket b : f.timeline()) {
                for (; next < marks.length && b.tMs() >= marks[next]; next++) {
                    h.append("<b>|</b>");
                }
                h.append(String.format("<span class=\"%s\" title=\"%+d ms: %d requests, %d errors, p99 %.1f ms\">&#9632;</span>", b.withinSlo() ? "pass" : "fail",
                        b.tMs(), b.requests(), b.errors(), b.p99Ms()));
            }
            h.append("</p>\n");
        }
        HtmlReports.checks(h, outcome.checks());
        h.append("<p>Command: <code>headroom lab faults").append(r.quick() ? " --quick" : "").append(" --faults ")
                .append(r.faults().stream().map(FaultsLabResult.FaultResult::name).collect(Collectors.joining(","))).append(String.format(" --rate %.0f --seed %d",
                        r.rateRps(), r.seed())).append("</code></p>\n</body></html>\n");
        Files.writeString(file, h);
    }

    private static String setUp(FaultsLabResult r) {
        return String.format("%d shop node(s) (JVMs) behind the edge, one embedded PostgreSQL (durable) reached through a TCP proxy and one Redis, "
                        + "all supervised; open-model Poisson load at %.0f/s (%.0f %% GET /products/{id}, cached; %.0f %% GET /users/{id}/orders; the rest "
                        + "POST /orders, each with its key); %s steady, the fault, %s after its end. %s; %s.%s", r.shopNodes(), r.rateRps(),
                100 * FaultWorkload.CACHED_SHARE, 100 * FaultWorkload.UNCACHED_SHARE, FaultRun.millis(r.steadyMs()), FaultRun.millis(r.recoveryPhaseMs()),
                r.pinning(), r.machine(), r.quick() ? " --quick: a smoke test, not a measurement." : "");
    }

    private static String slo(FaultsLabResult r) {
        return String.format("Latency from each request's intended send time. Recovery: from the fault's end (server back, thawed, link healed) to the "
                + "start of the first %d ms bucket from which on, for %,d ms, every bucket has p99 <= %.0f ms and <= %.0f %% errors. Lost: acknowledged (2xx) "
                + "orders not in PostgreSQL at the end. Steady in SLO: the share of the steady phase's buckets that held it, the noise floor.", r.bucketMs(), r.sustainMs(), r.sloP99Ms(), 100 * r.sloMaxErrorShare());
    }

    private static ReportTable table(FaultsLabResult r) {
        List<List<String>> rows = r.faults().stream().map(f -> List.of(f.name(), String.format("%,d", f.requests()),
                String.format("%,d (%.1f %%)", f.errors(), f.requests() == 0 ? 0 : 100.0 * f.errors() / f.requests()), kinds(f.errorsByKind()),
                String.format("%.1f", f.p99BeforeMs()), String.format("%.1f", f.p99DuringMs()), String.format("%.1f", f.p99AfterMs()),
                FaultRun.millis(f.faultMs()), FaultRun.millis(f.recoveryMs()), String.format("%.0f %%", 100 * f.steadySloShare()),
                String.format("%,d", f.acknowledged()), Long.toString(f.lost()))).toList();
        return new ReportTable("faults", "each under the same load, one after the other", List.of("fault", "requests", "errors", "by kind",
                "p99 before ms", "p99 during ms", "p99 after ms", "fault", "recovery", "steady in SLO", "acknowledged", "lost"), rows);
    }

    private static String kinds(Map<String, Long> kinds) {
        return kinds.isEmpty() ? "-" : kinds.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
