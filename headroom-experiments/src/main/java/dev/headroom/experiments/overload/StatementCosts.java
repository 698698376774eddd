package dev.headroom.experiments.overload;

import dev.headroom.experiments.Median;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.jdbc.PgStatement;

/**
 * What it costs a statement to carry a deadline, each way the shop could: nothing (the reference), pgjdbc's query
 * timeout in milliseconds (a task on the driver's timer, armed as the statement executes and disarmed when it ends;
 * what the shop does), or a {@code SET statement_timeout} sent before the statement (one more round trip; {@code SET LOCAL} would
 * need a transaction around every read, which costs more again). A primary-key look-up, prepared per statement as the shop
 * prepares them, in blocks of {@value #BLOCK} taken in turn; µs per statement, the median block's.
 */
record StatementCosts(double plainUs, double queryTimeoutUs, double setTimeoutUs) {
    private static final int BLOCK = 100;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String LOOKUP = "SELECT id FROM products WHERE id = ?";

    private enum Way { PLAIN, QUERY_TIMEOUT, SET_TIMEOUT }

    static StatementCosts measure(Connection db, int blocks) throws SQLException {
        List<List<Double>> us = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int b = -1; b < blocks; b++) { // the first round untimed: the JIT, pgjdbc's server-side prepare
            for (Way way : Way.values()) {
                long start = System.nanoTime();
                for (int i = 0; i < BLOCK; i++) {
                    lookup(db, way, 1 + i);
                }
                if (b >= 0) {
                    us.get(way.ordinal()).add((System.nanoTime() - start) / 1e3 / BLOCK);
                }
            }
        }
        return new StatementCosts(Median.of(us.get(0)), Median.of(us.get(1)), Median.of(us.get(2)));
    }

    private static void lookup(Connection db, Way way, long id) throws SQLException {
        if (way == Way.SET_TIMEOUT) {
            try (PreparedStatement set = db.prepareStatement("SET statement_timeout = " + TIMEOUT.toMillis())) {
                set.execute();
            }
        }
        try (PreparedStatement ps = db.prepareStatement(LOOKUP)) {
            if (way == Way.QUERY_TIMEOUT) {
                ps.unwrap(PgStatement.class).setQueryTimeoutMs(TIMEOUT.toMillis());
            }
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
        }
    }
}
