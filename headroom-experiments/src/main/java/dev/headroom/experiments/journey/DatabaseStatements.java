package dev.headroom.experiments.journey;

import dev.headroom.data.replica.ReplicaRouter;
import dev.headroom.infra.PostgresNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The database's own account of the statements it ran, from {@code pg_stat_statements}: calls and execution time
 * per normalized statement, summed over the primary and its replicas (a read on a replica is a request's statement
 * too). Read before and after a measured window; the difference is what the window cost. The replica router's
 * position polls (a few hundred a second, whatever the load) are left out: they are no request's work. The module
 * must be preloaded ({@code shared_preload_libraries}); {@link #open} says so when it is not.
 */
final class DatabaseStatements implements AutoCloseable {
    /** One statement's totals since the module's last reset. */
    record Totals(String query, long calls, double totalMs) {
    }

    /** What one window cost, by statement, the most expensive first. */
    record Window(List<Totals> statements) {
        long calls() {
            return statements.stream().mapToLong(Totals::calls).sum();
        }

        double totalMs() {
            return statements.stream().mapToDouble(Totals::totalMs).sum();
        }
    }

    private final List<Connection> connections;

    private DatabaseStatements(List<Connection> connections) {
        this.connections = connections;
    }

    /**
     * @param primary  where the extension is created (replicas have it by replication)
     * @param replicas read as well; none without the replicas step
     * @throws IllegalStateException naming the setting when the server does not load {@code pg_stat_statements}
     */
    static DatabaseStatements open(PostgresNode primary, List<PostgresNode> replicas) throws SQLException {
        List<Connection> opened = new ArrayList<>();
        try {
            opened.add(checked(primary, true));
            for (PostgresNode replica : replicas) {
                opened.add(checked(replica, false));
            }
        } catch (SQLException | RuntimeException e) {
            for (Connection c : opened) {
                c.close();
            }
            throw e;
        }
        return new DatabaseStatements(List.copyOf(opened));
    }

    private static Connection checked(PostgresNode pg, boolean create) throws SQLException {
        Connection c = pg.connect();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW shared_preload_libraries")) {
            rs.next();
            if (!rs.getString(1).contains("pg_stat_statements")) {
                throw new IllegalStateException("PostgreSQL (" + pg.name() + ") does not preload pg_stat_statements; start it with "
                        + "shared_preload_libraries = 'pg_stat_statements'");
            }
            if (create) {
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Totals by query id over the servers, this database only, without this reader's own statements nor the router's polls. */
    Map<Long, Totals> snapshot() throws SQLException {
        Map<Long, Totals> totals = new HashMap<>();
        for (Connection connection : connections) {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT queryid, query, calls, total_exec_time FROM pg_stat_statements"
                            + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                            + " AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%" + ReplicaRouter.POLL_MARK + "%'"
                            + " AND queryid IS NOT NULL")) {
                while (rs.next()) {
                    totals.merge(rs.getLong(1), new Totals(rs.getString(2), rs.getLong(3), rs.getDouble(4)),
                            (a, b) -> new Totals(a.query(), a.calls() + b.calls(), a.totalMs() + b.totalMs()));
                }
            }
        }
        return totals;
    }

    static Window between(Map<Long, Totals> before, Map<Long, Totals> after) {
        List<Totals> window = new ArrayList<>();
        after.forEach((id, end) -> {
            Totals start = before.get(id);
            long calls = end.calls() - (start == null ? 0 : start.calls());
            double ms = end.totalMs() - (start == null ? 0 : start.totalMs());
            if (calls > 0) {
                window.add(new Totals(end.query(), calls, ms));
            }
        });
        window.sort(Comparator.comparingDouble(Totals::totalMs).reversed());
        return new Window(List.copyOf(window));
    }

    @Override
    public void close() throws SQLException {
        for (Connection c : connections) {
            c.close();
        }
    }
}
