package dev.headroom.experiments.analytics;

import dev.headroom.experiments.HtmlReports;
import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.ReportTable;
import dev.headroom.experiments.edge.EdgeChecks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The analytics lab's result as a console summary and a self-contained HTML page (the JSON is the result itself). */
final class AnalyticsLabReport {
    private AnalyticsLabReport() {
    }

    static List<ReportTable> tables(AnalyticsLabResult r) {
        List<ReportTable> t = new ArrayList<>();
        if (r.ingest() != null) {
            AnalyticsLabResult.Ingest i = r.ingest();
            t.add(new ReportTable("Sustained ingest", String.format("a generator process offering %,d events/s over %s, windows (1s, 10s/1s) and sketches on",
                    i.targetRate(), i.transport()), List.of("events/s", "seconds", "sent", "counted", "late", "dropped", "generator CPU", "pipeline CPU", "valid"),
                    List.of(List.of(String.format("%,.0f", i.eventsPerS()), String.format("%.0f", i.seconds()), String.format("%,d", i.sent()),
                            String.format("%,d", i.counted()), String.format("%,d", i.late()), String.format("%,d", i.dropped()),
                            pct(i.generatorCpuShare()), pct(i.serverCpuShare()), i.valid() ? "yes" : "NO"))));
        }
        if (r.freshness() != null) {
            AnalyticsLabResult.Freshness f = r.freshness();
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("window end -> final result", String.format("%,d", f.windows()), ms(f.windowP50Ms()), ms(f.windowP99Ms())));
            rows.add(List.of("event -> dashboard pixel", String.valueOf(f.pixelProbes()), f.pixelP50Ms() == null ? "-" : ms(f.pixelP50Ms()),
                    f.pixelP99Ms() == null ? "-" : ms(f.pixelP99Ms())));
            t.add(new ReportTable("Freshness", String.format("watermark bound %d ms; pixels read in headless Chromium%s", f.outOfOrdernessMs(),
                    f.pixelNote() == null ? "" : " (" + f.pixelNote() + ")"), List.of("", "samples", "p50 ms", "p99 ms"), rows));
        }
        if (r.late() != null) {
            AnalyticsLabResult.Late l = r.late();
            t.add(new ReportTable("Late and out-of-order events", "a seeded disordered stream through the engine against an exact replay",
                    List.of("events", "on time", "late", "dropped", "windows", "differ"),
                    List.of(List.of(String.format("%,d", l.events()), String.format("%,d", l.counted()), String.format("%,d", l.late()),
                            String.format("%,d", l.dropped()), String.format("%,d", l.windows()), String.format("%,d", l.mismatches())))));
        }
        if (r.historical() != null) {
            AnalyticsLabResult.Historical h = r.historical();
            List<List<String>> rows = new ArrayList<>();
            for (AnalyticsLabResult.Query q : h.queries()) {
                rows.add(List.of(q.name(), ms(q.p50Ms()), ms(q.p99Ms()), ms(q.rawP50Ms()), ms(q.rawP99Ms())));
            }
            t.add(new ReportTable("Historical queries", String.format("%,d raw events in DuckDB (loaded and rolled up in %.0f s), %d runs each",
                    h.events(), h.loadSeconds(), h.queries().isEmpty() ? 0 : h.queries().getFirst().runs()),
                    List.of("query", "rollups p50 ms", "rollups p99 ms", "raw p50 ms", "raw p99 ms"), rows));
        }
        return t;
    }

    static void console(LabOutcome<AnalyticsLabResult> outcome, PrintWriter out) {
        out.println();
        out.println(outcome.result().pinning());
        tables(outcome.result()).forEach(t -> t.print(out));
        out.println();
        EdgeChecks.print(outcome.checks(), outcome.elapsedSeconds(), out);
    }

    static void html(LabOutcome<AnalyticsLabResult> outcome, AnalyticsLabOptions o, Path file) throws IOException {
        StringBuilder h = HtmlReports.page("Headroom analytics lab");
        h.append(String.format("<p>%s. %s%s. Took %.0f s.</p>\n", HtmlReports.escape(outcome.result().pinning()), ReportFiles.machine(),
                o.quick() ? "; <b>--quick</b>: small sizes, a smoke test, not a measurement" : "", outcome.elapsedSeconds()));
        tables(outcome.result()).forEach(t -> t.appendHtml(h));
        HtmlReports.checks(h, outcome.checks());
        h.append("<p>Command: <code>headroom lab analytics").append(o.quick() ? " --quick" : "").append("</code></p>\n</body></html>\n");
        Files.writeString(file, h);
    }

    private static String ms(double v) {
        return v < 10 ? String.format("%.2f", v) : String.format("%,.0f", v);
    }

    private static String pct(double share) {
        return String.format("%.0f %%", 100 * share);
    }
}
