package dev.headroom.experiments.pool;

import dev.headroom.experiments.ReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The pool lab's result as a console table and a self-contained HTML page (Chart.js inlined); the JSON is the result itself. */
final class PoolLabReport {
    static final String TEMPLATE = "dev/headroom/experiments/pool/pool.html";

    private PoolLabReport() {
    }

    static void console(PoolLabResult r, PrintWriter out) {
        PoolLabResult.Settings s = r.settings();
        out.println();
        out.printf("pool sizes against one shop node (%s); PostgreSQL %s; %s%n", s.switches(),
                s.dbRttMs() == 0 ? "on loopback" : String.format("one hop away (+%.1f ms per round trip)", s.dbRttMs()), s.machine());
        out.printf("closed model: %d connections, medians of %d round(s); open model: %,.0f req/s offered to every size%n",
                s.concurrency(), s.rounds(), s.openRateRps());
        out.printf("%5s %10s %9s %9s %10s %10s %8s %8s %6s %10s %10s  %s%n", "pool", "req/s", "p50 ms", "p99 ms", "wait mean", "wait p99",
                "pending", "hold ms", "busy", "open p99", "open req/s", "req/s by round");
        for (PoolLabResult.Point p : r.points()) {
            out.printf("%5d %10.0f %9.2f %9.2f %10.3f %10.3f %8.0f %8.3f %6.1f %10s %10s  %s%s%n", p.poolSize(), p.throughputRps(), p.p50Ms(),
                    p.p99Ms(), p.poolWaitMeanMs(), p.poolWaitP99Ms(), p.pendingMax(), p.holdMeanMs(), p.busyConnections(),
                    p.openP99Ms() == null ? "-" : String.format("%.2f", p.openP99Ms()),
                    p.openAchievedRps() == null ? "-" : String.format("%.0f", p.openAchievedRps()), p.throughputByRound().stream().map(v -> String.format("%.0f", v)).collect(Collectors.joining(" ")),
                    p.errors() == 0 ? "" : "  " + p.errors() + " errors");
        }
        out.println("(wait: HikariCP's acquire time; pending: most requests waiting for a connection at once; hold: its usage time; "
                + "busy: borrows/s x hold; open: "
                + "- where the closed-model throughput was below " + Math.round(100 * Sweep.CARRIES) + "% of the rate)");
        out.println();
        out.printf("measured optimum:  %3d  %s%n", r.optimum().poolSize(), r.optimum().rule());
        out.printf("formula:           %3d  %s%s%n", r.formula().poolSize(), r.formula().expression(),
                measured(r.formula().throughputRps(), r.formula().shareOfBest()));
        out.printf("Little's law:      %3d  %s (hold time at pool %d)%s%n", r.littlesLaw().poolSize(), r.littlesLaw().expression(),
                r.littlesLaw().holdAtPoolSize(), measured(r.littlesLaw().measuredRps(), r.littlesLaw().shareOfBest()));
        out.printf("done in %.0f s%n", r.elapsedSeconds());
        out.flush();
    }

    /** {@code ; measured 4,263 req/s, 68% of the best}, or nothing when that size was not measured. */
    private static String measured(Double rps, Double share) {
        return rps == null ? "" : String.format("; measured %,.0f req/s, %.0f%% of the best", rps, 100 * share);
    }

    static void html(PoolLabResult r, Path file) throws IOException {
        Files.writeString(file, ReportFiles.page(TEMPLATE, r));
    }
}
