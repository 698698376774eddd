package dev.headroom.experiments.journey;

import dev.headroom.infra.Node;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Everything the journey reads from the servers at one instant: the database's statement totals, the nodes'
 * counters, and the CPU the nodes and PostgreSQL have used. Two readings make a {@link ServerLoad}.
 */
record ServerReading(long nanos, Map<Long, DatabaseStatements.Totals> statements, NodeMetrics metrics, double nodeCpuSeconds,
                     double postgresCpuSeconds) {

    static ServerReading take(DatabaseStatements db, List<Node> nodes, List<URI> urls, long postgresPid) throws Exception {
        double nodeCpu = nodes.stream().mapToDouble(n -> ProcessCpu.withoutCompiler(n.pid().orElseThrow())).sum();
        return new ServerReading(System.nanoTime(), db.snapshot(), NodeMetrics.read(urls), nodeCpu, ProcessCpu.withChildren(postgresPid));
    }

    ServerLoad until(ServerReading end) {
        return new ServerLoad((end.nanos - nanos) / 1e9, DatabaseStatements.between(statements, end.statements),
                end.metrics.minus(metrics), end.nodeCpuSeconds - nodeCpuSeconds, end.postgresCpuSeconds - postgresCpuSeconds);
    }
}
