package dev.headroom.experiments.edge;

import dev.headroom.infra.PostgresNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * After a failover run, what PostgreSQL holds against what the load was told. An acknowledged POST (a 2xx) must
 * have its key stored exactly once, pointing at an order that exists, has its item, and is the order the answer
 * named. The shop stores the key in the order's own transaction, and the key is the table's primary key, so two
 * rows for a key cannot happen; a duplicate shows instead as an order of this run that no key points at (a retry
 * that created a second order instead of answering with the first), or as an answer naming another order than the
 * key's.
 *
 * @param acknowledged POSTs answered with a 2xx
 * @param missing      of those, keys not stored, or stored for an order that is absent or has no items
 * @param duplicated   orders of this run no key points at, plus acknowledged keys whose answer named another order
 * @param unanswered   POSTs that got no 2xx (an error, no answer, or cut off by the run's end)
 * @param storedAnyway of {@code unanswered}, those whose order was created all the same (the client must retry with
 *                     its key to learn of it; nothing is lost, and nothing is acknowledged twice)
 */
public record FailoverLedger(long acknowledged, long missing, long duplicated, long unanswered, long storedAnyway) {

    /** The highest order id now: orders above it are this run's. */
    public static long lastOrderId(PostgresNode pg) throws SQLException {
        try (Connection c = connect(pg); PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(id), 0) FROM orders");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * @param lastOrderIdBefore {@link #lastOrderId} before the run: no one but this run's load places orders meanwhile
     */
    public static FailoverLedger check(PostgresNode pg, FailoverWorkload load, long lastOrderIdBefore) throws SQLException {
        record Stored(long orderId, long items) { }
        Map<String, Stored> stored = new HashMap<>();
        long ordersOfRun;
        long ordersWithKey;
        try (Connection c = connect(pg)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT k.key, k.order_id, (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)"
                    + " FROM idempotency_keys k LEFT JOIN orders o ON o.id = k.order_id WHERE k.key LIKE ?")) {
                ps.setString(1, load.keyPrefix() + "-%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.put(rs.getString(1), new Stored(rs.getLong(2), rs.getLong(3)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(k.key) FROM orders o"
                    + " LEFT JOIN idempotency_keys k ON k.order_id = o.id WHERE o.id > ?")) {
                ps.setLong(1, lastOrderIdBefore);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    ordersOfRun = rs.getLong(1);
                    ordersWithKey = rs.getLong(2);
                }
            }
        }
        long acknowledged = 0;
        long missing = 0;
        long otherOrder = 0;
        long unanswered = 0;
        long storedAnyway = 0;
        for (Map.Entry<String, FailoverWorkload.Sent> e : load.posts().entrySet()) {
            Stored s = stored.get(e.getKey());
            if (!e.getValue().acknowledged()) {
                unanswered++;
                storedAnyway += s != null ? 1 : 0;
                continue;
            }
            acknowledged++;
            if (s == null || s.items() == 0) {
                missing++;
            } else if (s.orderId() != e.getValue().orderId()) {
                otherOrder++;
            }
        }
        return new FailoverLedger(acknowledged, missing, (ordersOfRun - ordersWithKey) + otherOrder, unanswered, storedAnyway);
    }

    private static Connection connect(PostgresNode pg) throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password() == null ? "" : pg.password());
    }
}
