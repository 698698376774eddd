package dev.headroom.experiments;

import dev.headroom.experiments.edge.EdgeChecks;
import java.util.List;

/**
 * What the labs' HTML pages built in Java share: the head with the labs' style sheet inlined, the checks' list,
 * escaping. (Pages from a template go through {@link ReportFiles#page}.)
 */
public final class HtmlReports {
    private HtmlReports() {
    }

    /** A page begun: {@code <head>} with the title and the labs' style (inline, no external file), then the title as {@code <h1>}. */
    public static StringBuilder page(String title) {
        return new StringBuilder().append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>").append(ReportFiles.resource(ReportFiles.STYLE))
                .append(".bar{display:inline-block;height:.8em;background:#4a7bd0;vertical-align:middle}")
                .append(".pass{color:#1a7f37}.fail{color:#c62828;font-weight:bold}")
                .append("</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
    }

    /** {@code <h2>Checks</h2>} and a list of them, each PASS or FAIL with its figures. */
    public static void checks(StringBuilder h, List<EdgeChecks.Check> checks) {
        h.append("<h2>Checks</h2>\n<ul>\n");
        for (EdgeChecks.Check c : checks) {
            h.append(String.format("<li><span class=\"%s\">%s</span> %s: %s</li>\n", c.passed() ? "pass" : "fail", c.passed() ? "PASS" : "FAIL",
                    escape(c.name()), escape(c.detail())));
        }
        h.append("</ul>\n");
    }

    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
