package dev.headroom.experiments.data;

import dev.headroom.experiments.LabOutcome;
import dev.headroom.experiments.HtmlReports;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.edge.EdgeChecks;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The data lab's result as a console summary, JSON (the result only, snake case) and a self-contained HTML page. */
final class DataLabReport {
    private DataLabReport() {
    }

    static void console(LabOutcome<DataLabResult> outcome, DataLabOptions o, PrintWriter out) {
        DataLabResult r = outcome.result();
        out.println();
        out.printf("read scaling: one node, no cache, every PostgreSQL server %d ms away, %d connections per server; capacity at p99 < %.0f ms%n",
                DataLabOptions.DB_RTT.toMillis(), DataLabOptions.SCALING_POOL, DataLabOptions.SLO_P99_MS);
        r.readScaling().forEach(p -> out.printf("  %d replica(s): %,8.0f req/s (p99 %.1f ms), %.2fx none%n", p.replicas(), p.capacityRps(), p.p99Ms(),
                p.ratioToNone()));
        out.printf("%nlag: POST /orders at %.0f/s for %s, durable primary; sampled every %d ms%n", o.writeRate(),
                dev.headroom.experiments.ProgressLog.seconds(o.writes()), LagExperiment.SAMPLE_MILLIS);
        out.printf("  %-10s %9s %9s %9s %11s %11s %11s %20s%n", "replica", "p50 ms", "p99 ms", "max ms", "p50 bytes", "p99 bytes", "max bytes",
                "replay_lag p50/p99");
        for (Map.Entry<String, DataLabResult.Lag> e : r.lag().entrySet()) {
            DataLabResult.Lag l = e.getValue();
            out.printf("  %-10s %9.2f %9.2f %9.2f %,11d %,11d %,11d %20s%n", e.getKey(), l.p50Ms(), l.p99Ms(), l.maxMs(), l.p50Bytes(), l.p99Bytes(),
                    l.maxBytes(), pgLag(l));
        }
        DataLabResult.ReadYourWrites y = r.readYourWrites();
        out.printf("%nread-your-writes: %d clients, %.0f s, PATCH on node A then GET on node B%n", y.clients(), y.seconds());
        out.printf("  with tokens:    %,8d reads, %,6d violations%n", y.withTokens().reads(), y.withTokens().violations());
        out.printf("  without tokens: %,8d reads, %,6d violations (%.2f %%)%n", y.withoutTokens().reads(), y.withoutTokens().violations(),
                share(y.withoutTokens()));
        DataLabResult.ReplicaKill k = r.replicaKill();
        out.printf("%nreplica kill: reads at %.0f/s, %s SIGKILLed: %,d requests, %,d errors, down in the router %d ms after the kill,"
                + " longest request %.1f ms%n", k.offeredRps(), ReplicaFailureExperiment.VICTIM, k.requests(), k.errors(), k.failoverMs(), k.maxLatencyMs());
        DataLabResult.ReplicaFreeze f = r.replicaFreeze();
        out.printf("replica freeze: reads + POST /orders at %.0f/s, %s SIGSTOPped: %,d requests, %,d errors, %s %d ms after the freeze,"
                + " serving %d ms after the thaw, longest request %.1f ms%n%n", f.offeredRps(), ReplicaFailureExperiment.VICTIM, f.requests(), f.errors(),
                f.state(), f.ejectedMs(), f.backMs(), f.maxLatencyMs());
        EdgeChecks.print(outcome.checks(), outcome.elapsedSeconds(), out);
    }

    static void html(LabOutcome<DataLabResult> outcome, DataLabOptions o, Path file) throws IOException {
        DataLabResult r = outcome.result();
        StringBuilder h = HtmlReports.page("Headroom data lab");
        h.append(String.format("<p>One embedded PostgreSQL 17 primary (durable: fsync and synchronous_commit on), 2 streaming replicas and Redis, "
                + "seeded with %,d users, %,d products, %,d orders; shop nodes in this JVM. %s%s. Took %.0f s.</p>\n", o.data().users(),
                o.data().products(), o.data().orders(), ReportFiles.machine(), o.quick() ? "; <b>--quick</b>: short runs, a smoke test, not a measurement" : "",
                outcome.elapsedSeconds()));

        h.append(String.format("<h2>Read scaling</h2>\n<p>One shop node (indexes, single-query, pool, http, replicas; no cache), every PostgreSQL "
                + "server reached through its own TCP proxy adding %d ms per round trip, %d connections per server; reads only "
                + "(<code>GET /users/{id}</code> and <code>GET /users/{id}/orders</code>). Capacity: the highest constant rate whose open-model "
                + "probe kept p99 &lt; %.0f ms with under %.1f %% errors. On 2 shared cores the replicas add connections one hop away, not CPU: "
                + "capacity grows while the cores are not the limit. With replicas the router sends reads to replicas only, so one replica moves "
                + "the reads off the primary rather than adding to it, and the router's poll of each replica (every 10 ms, one round trip) "
                + "takes a share of that replica's small pool.</p>\n<table><tr><th>replicas</th><th>capacity req/s</th><th></th><th>p99 ms</th>"
                + "<th>vs none</th></tr>\n", DataLabOptions.DB_RTT.toMillis(), DataLabOptions.SCALING_POOL, DataLabOptions.SLO_P99_MS,
                100 * ReadScalingExperiment.MAX_ERROR_SHARE));
        double top = r.readScaling().stream().mapToDouble(DataLabResult.ScalingPoint::capacityRps).max().orElse(1);
        r.readScaling().forEach(p -> h.append(String.format("<tr><td>%d</td><td>%,.0f</td><td style=\"text-align:left;width:14em\">"
                + "<span class=\"bar\" style=\"width:%.1f%%\"></span></td><td>%.1f</td><td>%.2fx</td></tr>\n", p.replicas(), p.capacityRps(),
                top > 0 ? 100 * p.capacityRps() / top : 0, p.p99Ms(), p.ratioToNone())));
        h.append("</table>\n");

        h.append(String.format("<h2>Replication lag under write load</h2>\n<p><code>POST /orders</code> at %.0f/s for %s on one node. Every %d ms "
                + "the primary's <code>pg_current_wal_lsn()</code>, then each replica's <code>pg_last_wal_replay_lsn()</code>. Bytes: the difference. "
                + "Time: how long the first WAL the replica had not replayed had existed on the primary (interpolated between the primary's "
                + "samples); 0 when caught up. Beside it, PostgreSQL's own <code>replay_lag</code> (<code>pg_stat_replication</code>, every "
                + LagExperiment.PG_SAMPLE_MILLIS + " ms).</p>\n<table><tr><th>replica</th><th>p50 ms</th><th>p99 ms</th><th>max ms</th><th>p50 bytes</th>"
                + "<th>p99 bytes</th><th>max bytes</th><th>samples</th><th>replay_lag p50/p99</th></tr>\n", o.writeRate(), dev.headroom.experiments.ProgressLog.seconds(o.writes()),
                LagExperiment.SAMPLE_MILLIS));
        r.lag().forEach((name, l) -> h.append(String.format("<tr><td>%s</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%,d</td><td>%,d</td>"
                + "<td>%,d</td><td>%,d</td><td>%s</td></tr>\n", escape(name), l.p50Ms(), l.p99Ms(), l.maxMs(), l.p50Bytes(), l.p99Bytes(), l.maxBytes(),
                l.samples(), pgLag(l))));
        h.append("</table>\n");

        DataLabResult.ReadYourWrites y = r.readYourWrites();
        h.append(String.format("<h2>Read-your-writes</h2>\n<p>Two shop nodes, A and B, optimized with replicas (caches on). %d clients, each "
                + "owning one user, for %.0f s: <code>PATCH /users/{id}</code> on A with a new name, then at once <code>GET /users/{id}</code> "
                + "on B, in turn with the write's <code>Headroom-Consistency</code> token and without. A violation: the read does not show the "
                + "client's own last write. Nothing is paused: only real lag and the hop between nodes.</p>\n<table><tr><th>reads</th>"
                + "<th>reads</th><th>violations</th><th>share</th></tr>\n<tr><td>with tokens</td><td>%,d</td><td>%,d</td><td>%.2f %%</td></tr>\n"
                + "<tr><td>without tokens</td><td>%,d</td><td>%,d</td><td>%.2f %%</td></tr>\n</table>\n<p>%,d failed requests.</p>\n", y.clients(),
                y.seconds(), y.withTokens().reads(), y.withTokens().violations(), share(y.withTokens()), y.withoutTokens().reads(),
                y.withoutTokens().violations(), share(y.withoutTokens()), y.errors()));

        DataLabResult.ReplicaKill k = r.replicaKill();
        DataLabResult.ReplicaFreeze f = r.replicaFreeze();
        h.append(String.format("<h2>A replica lost under load</h2>\n<p>One node (no cache) over the primary and 2 replicas, open-model load at "
                + "%.0f/s. Kill: reads only, %s SIGKILLed a third into the run; failover = from the kill until the router reports it down. Freeze: "
                + "reads and <code>POST /orders</code> (4:1), %s SIGSTOPped a third in and thawed two thirds in.</p>\n<table><tr><th>run</th>"
                + "<th>requests</th><th>errors</th><th>out of service after</th><th>serving again after the thaw</th><th>p99 ms</th>"
                + "<th>longest ms</th></tr>\n<tr><td>kill</td><td>%,d</td><td>%,d</td><td>%d ms (down)</td><td>-</td><td>%.1f</td><td>%.1f</td></tr>\n"
                + "<tr><td>freeze</td><td>%,d</td><td>%,d</td><td>%d ms (%s)</td><td>%d ms</td><td>%.1f</td><td>%.1f</td></tr>\n</table>\n",
                k.offeredRps(), ReplicaFailureExperiment.VICTIM, ReplicaFailureExperiment.VICTIM, k.requests(), k.errors(), k.failoverMs(), k.p99Ms(),
                k.maxLatencyMs(), f.requests(), f.errors(), f.ejectedMs(), escape(f.state()), f.backMs(), f.p99Ms(), f.maxLatencyMs()));

        HtmlReports.checks(h, outcome.checks());
        h.append("<p>Command: <code>headroom lab data").append(o.quick() ? " --quick" : "").append("</code></p>\n</body></html>\n");
        Files.writeString(file, h);
    }

    /** PostgreSQL's replay_lag p50/p99 in ms, or "none" when it reported none. */
    private static String pgLag(DataLabResult.Lag l) {
        return l.pgReplayLagP50Ms() == null ? "none" : String.format("%.2f / %.2f ms", l.pgReplayLagP50Ms(), l.pgReplayLagP99Ms());
    }

    private static double share(DataLabResult.Reads r) {
        return r.reads() == 0 ? 0 : 100.0 * r.violations() / r.reads();
    }

    private static String escape(String s) {
        return HtmlReports.escape(s);
    }
}
