package dev.headroom.experiments.journey;

import java.util.List;

/**
 * Names what a step spends its requests' time on, from measurements only: SQL execution (the database's own
 * statistics, with the statement that took most of it), waiting for a connection (a borrow from the pool, or a
 * whole new connection without one), or the shop's own CPU. When none of them is a third of the mean latency,
 * the time is in the HTTP round trip and the client: nothing on the server is left to remove.
 */
final class Bottleneck {
    /** Below this share of the mean latency, no server-side part is called the bottleneck. */
    static final double SIGNIFICANT = 1.0 / 3;

    record Named(String kind, String text) {
    }

    private Bottleneck() {
    }

    /**
     * @param sqlMs        SQL execution per request
     * @param connectionMs connection wait per request
     * @param cpuMs        the shop nodes' CPU per request
     * @param meanMs       mean latency at the offered rate
     * @param top          the window's statements, most expensive first
     */
    static Named of(Double sqlMs, double connectionMs, double cpuMs, double meanMs, List<StepResult.Statement> top) {
        double sql = sqlMs == null ? 0 : sqlMs;
        if (sql >= connectionMs && sql >= cpuMs && sql >= SIGNIFICANT * meanMs) {
            String statement = top.isEmpty() ? "" : String.format("; %.0f %% in %s", 100 * top.getFirst().share(),
                    shorten(top.getFirst().query()));
            return new Named("sql", String.format("SQL: %.1f ms per request%s", sql, statement));
        }
        if (connectionMs >= cpuMs && connectionMs >= SIGNIFICANT * meanMs) {
            return new Named("connections", String.format("connections: %.1f ms per request waiting for a database connection", connectionMs));
        }
        if (cpuMs >= SIGNIFICANT * meanMs) {
            return new Named("shop-cpu", String.format("shop CPU: %.2f ms per request (routing, JSON, the cache, the driver)", cpuMs));
        }
        return new Named("http", String.format("the HTTP round trip: SQL %.2f, connection %.2f, shop CPU %.2f ms of a %.2f ms mean",
                sql, connectionMs, cpuMs, meanMs));
    }

    /** A statement on one line, at most 90 characters. */
    static String shorten(String query) {
        String line = query.replaceAll("\\s+", " ").trim();
        return line.length() <= 90 ? line : line.substring(0, 87) + "...";
    }
}
