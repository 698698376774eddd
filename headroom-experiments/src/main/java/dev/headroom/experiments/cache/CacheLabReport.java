package dev.headroom.experiments.cache;

import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.cache.CacheLabResult.Check;
import dev.headroom.experiments.cache.CacheLabResult.Configuration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The cache lab's result as a console table, JSON (snake case) and a self-contained HTML page. */
final class CacheLabReport {
    private CacheLabReport() {
    }

    static void console(CacheLabResult r, PrintWriter out) {
        CacheLabResult.Settings s = r.settings();
        out.println();
        out.printf("cache lab: %,d products, Zipf %.2f, %.0f%% writes, L1 %,d entries per node, 2 nodes, %.0f/s offered (%.0f%% of the uncached max %.0f/s), %s%s%n",
                s.products(), s.zipfExponent(), 100 * s.writeShare(), s.l1Entries(), s.offeredRate(), 100 * s.loadShare(), s.maxRate(),
                databasePath(s), s.rounds() > 1 ? ", median-p99 round of " + s.rounds() : "");
        out.printf("%-21s %7s %7s %7s %8s %8s %9s %9s %9s %9s %9s %9s %9s %10s %9s %9s %10s %8s%n", "configuration", "hit L1", "hit L2", "hit",
                "optimal", "policy", "p50 ms", "mean ms", "p99 ms", "read p99", "write p99", "max ms", "srv p50", "db q/s", "db q/req", "heap MB",
                "L1 flushes", "errors");
        for (Configuration c : r.configurations()) {
            out.printf("%-21s %7s %7s %7.3f %8s %8s %9.2f %9.2f %9.2f %9.2f %9.2f %9.1f %9.3f %10.0f %9.3f %9.0f %10d %8d%s%n", c.name(),
                    ratio(c.hitRatioL1()), ratio(c.hitRatioL2()), c.hitRatio(), ratio(c.optimalHitRatio()), ratio(c.replayHitRatio()), c.p50Ms(),
                    c.meanMs(), c.p99Ms(), c.readP99Ms(), c.writeP99Ms(), c.maxMs(), c.serverP50Ms(), c.dbQueriesPerS(), c.dbQueriesPerRequest(),
                    c.heapBytes() / 1e6, c.l1Flushes(), c.errors(), c.invalidReasons().isEmpty() ? "" : "  INVALID");
            if (c.p99MsRounds().size() > 1) {
                out.printf("%-21s p99 by round: %s%n", "", c.p99MsRounds().stream().map(p -> String.format("%.2f", p)).toList());
            }
        }
        CacheLabResult.Stampede st = r.stampede();
        out.printf("stampede: %,d requests at once for one cold key -> %d database load(s) with coalescing, %d without%n",
                st.requests(), st.dbLoads(), st.dbLoadsWithoutCoalescing());
        CacheLabResult.Outage o = r.outage();
        out.printf("outage:   Redis dead for %.0f s under load -> %d errors in %,d requests, p99 %.2f ms (%.2f ms while down), %,d L2 hits after restart%n",
                o.redisDownSeconds(), o.errors(), o.requests(), o.p99Ms(), o.p99DuringOutageMs(), o.l2HitsAfterRestart());
        for (Check c : r.checks()) {
            out.printf("%s  %s: %s%n", c.passed() ? "PASS" : "FAIL", c.name(), c.detail());
        }
        Checks.latencyOnLoopback(r.configurations(), s.dbRttMs()).ifPresent(line -> out.printf("note  %s%n", line));
        out.printf("%s in %.0f s%n", r.passed() ? "all checks passed" : "some checks FAILED", r.elapsedSeconds());
        out.flush();
    }

    static void html(CacheLabResult r, Path file) throws IOException {
        StringBuilder h = new StringBuilder();
        CacheLabResult.Settings s = r.settings();
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Headroom cache lab</title>\n<style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:2em;max-width:72em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}.bar{display:inline-block;height:.8em;background:#4a7bd0;vertical-align:middle}")
                .append(".pass{color:#1a7f37}.fail{color:#c62828;font-weight:bold}code{background:#f3f3f3;padding:0 .3em}")
                .append("</style></head><body>\n<h1>Headroom cache lab</h1>\n");
        h.append(String.format("<p>%,d products, Zipf %.2f, %.0f%% writes, L1 %,d entries per node, 2 shop nodes on one PostgreSQL and one Redis. "
                        + "Every configuration offered <b>%.0f requests/s</b> (%.0f%% of the uncached maximum, %.0f/s), Poisson arrivals, "
                        + "%.0f s warm-up then %.0f s measured%s; latency from each request's intended send time. %s. %s. Took %.0f s.</p>\n",
                s.products(), s.zipfExponent(), 100 * s.writeShare(), s.l1Entries(), s.offeredRate(), 100 * s.loadShare(), s.maxRate(),
                s.warmupSeconds(), s.durationSeconds(), s.rounds() > 1 ? ", " + s.rounds() + " rounds taken in turn, each configuration shown by its median-p99 round" : "",
                escape(databasePath(s)), escape(s.machine()), r.elapsedSeconds()));
        double maxP99 = r.configurations().stream().mapToDouble(Configuration::p99Ms).max().orElse(1);
        h.append("<h2>Configurations</h2>\n<table><tr><th>configuration</th><th>hit L1</th><th>hit L2</th><th>hit</th><th>optimal</th><th>policy</th>"
                + "<th>p50 ms</th><th>mean ms</th><th>p99 ms</th><th></th><th>read p99</th><th>write p99</th><th>max ms</th><th>server p50 ms</th>"
                + "<th>db queries/s</th><th>db queries/request</th><th>heap MB</th><th>L1 flushes</th><th>errors</th></tr>\n");
        for (Configuration c : r.configurations()) {
            h.append(String.format("<tr><td><code>%s</code>%s</td><td>%s</td><td>%s</td><td>%.3f</td><td>%s</td><td>%s</td><td>%.2f</td><td>%.2f</td><td title=\"%s\">%.2f</td>"
                            + "<td style=\"text-align:left;width:14em\"><span class=\"bar\" style=\"width:%.1f%%\"></span></td>"
                            + "<td>%.2f</td><td>%.2f</td><td>%.1f</td><td>%.3f</td><td>%.0f</td><td>%.3f</td><td>%.0f</td><td>%d</td><td>%d</td></tr>\n",
                    escape(c.name()), c.invalidReasons().isEmpty() ? "" : " <span class=\"fail\" title=\"" + escape(String.join("; ", c.invalidReasons()))
                            + "\">invalid</span>", ratio(c.hitRatioL1()), ratio(c.hitRatioL2()), c.hitRatio(), ratio(c.optimalHitRatio()),
                    ratio(c.replayHitRatio()), c.p50Ms(), c.meanMs(), c.p99MsRounds().size() > 1 ? "p99 by round: " + c.p99MsRounds() : "", c.p99Ms(),
                    100 * c.p99Ms() / maxP99, c.readP99Ms(), c.writeP99Ms(), c.maxMs(), c.serverP50Ms(), c.dbQueriesPerS(), c.dbQueriesPerRequest(),
                    c.heapBytes() / 1e6, c.l1Flushes(), c.errors()));
        }
        h.append("</table>\n<p><i>optimal</i>: Belady's MIN on each node's recorded trace, the best any cache of the L1's size could do. "
                + "<i>policy</i>: the L1's eviction policy alone (Caffeine for l1, LRU for lru) replaying the same trace. "
                + "<i>hit L2</i>: of the reads L1 could not answer, the share Redis answered. <i>server p50</i>: the shop's own time, first handler "
                + "to the end of the response (its <code>http.server.requests</code> histograms, as coarse as their buckets). <i>db queries</i>: the "
                + "shop's SQL statement counters. <i>heap</i>: the lab JVM after a full GC "
                + "(both nodes and the load generator). <i>L1 flushes</i>: whole-L1 drops after a lost invalidation or a dropped subscription.</p>\n");
        CacheLabResult.Stampede st = r.stampede();
        h.append(String.format("<h2>Stampede</h2>\n<p>%,d requests at once for one cold key, half to each node, the database held slow for %.0f ms: "
                        + "<b>%d database load(s)</b> with coalescing (single flight in each node, a Redis lease across them); %d without.</p>\n",
                st.requests(), st.slowDatabaseMs(), st.dbLoads(), st.dbLoadsWithoutCoalescing()));
        CacheLabResult.Outage o = r.outage();
        h.append(String.format("<h2>Outage</h2>\n<p>l1+l2 at the offered rate; Redis killed (SIGKILL) and restarted %.0f s later: "
                        + "<b>%d errors</b> in %,d requests, p99 %.2f ms overall and %.2f ms while Redis was down, max %.1f ms; "
                        + "%,d L2 hits after the restart, circuit breaker %s at the end.</p>\n",
                o.redisDownSeconds(), o.errors(), o.requests(), o.p99Ms(), o.p99DuringOutageMs(), o.maxMs(), o.l2HitsAfterRestart(),
                escape(o.breakerAtEnd())));
        h.append("<h2>Checks</h2>\n<ul>\n");
        for (Check c : r.checks()) {
            h.append(String.format("<li><span class=\"%s\">%s</span> %s: %s</li>\n", c.passed() ? "pass" : "fail",
                    c.passed() ? "PASS" : "FAIL", escape(c.name()), escape(c.detail())));
        }
        Checks.latencyOnLoopback(r.configurations(), s.dbRttMs()).ifPresent(line -> h.append("<li>note ").append(escape(line)).append("</li>\n"));
        h.append("</ul>\n<p>Reproduce: <code>./headroom lab cache").append(s.dbRttMs() == null ? "" : " --db-rtt " + Checks.number(s.dbRttMs()) + "ms")
                .append("</code></p>\n</body></html>\n");
        Files.writeString(file, h);
    }

    /** How the nodes reached PostgreSQL, and what the hop added as measured. */
    private static String databasePath(CacheLabResult.Settings s) {
        return s.dbRttMs() == null ? "PostgreSQL on loopback"
                : String.format("PostgreSQL one hop away (%.3f ms round trip set, %.3f ms measured)", s.dbRttMs(), s.dbRttMeasuredMs());
    }

    private static String ratio(Double r) {
        return r == null ? "-" : String.format("%.3f", r);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
