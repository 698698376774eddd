package dev.headroom.experiments.journey;

import java.util.List;

/**
 * A window's server figures per API request the nodes answered: SQL statements and their execution time, time
 * waiting for a connection, and the shop nodes' CPU; plus the statements by their share of the database time.
 */
record PerRequest(double statements, double dbMs, double connectionMs, double cpuMs, List<StepResult.Statement> top) {
    /** Statements kept per step: every distinct one the shop runs, so a statement can be followed from step to step. */
    static final int TOP_STATEMENTS = 20;

    static PerRequest of(ServerLoad load) {
        double requests = Math.max(1, load.metrics().requests());
        DatabaseStatements.Window sql = load.statements();
        double totalSql = sql.totalMs();
        List<StepResult.Statement> top = sql.statements().stream().limit(TOP_STATEMENTS)
                .map(s -> new StepResult.Statement(s.query(), s.calls(), s.totalMs(), totalSql == 0 ? 0 : s.totalMs() / totalSql)).toList();
        return new PerRequest(sql.calls() / requests, totalSql / requests, 1000 * load.metrics().connectionWaitSeconds() / requests,
                1000 * load.nodeCpuSeconds() / requests, top);
    }
}
