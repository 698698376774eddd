package dev.headroom.experiments.journey;

/**
 * What the servers did during one measured window: the statements PostgreSQL ran and their execution time, the
 * time requests waited for a connection, cache hits, and CPU seconds of the shop nodes and of PostgreSQL.
 */
record ServerLoad(double seconds, DatabaseStatements.Window statements, NodeMetrics metrics, double nodeCpuSeconds,
                  double postgresCpuSeconds) {

    /** Percent of one core. */
    double nodeCpuPercent() {
        return seconds == 0 ? 0 : 100 * nodeCpuSeconds / seconds;
    }

    double postgresCpuPercent() {
        return seconds == 0 ? 0 : 100 * postgresCpuSeconds / seconds;
    }
}
