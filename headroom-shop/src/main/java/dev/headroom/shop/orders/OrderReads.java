package dev.headroom.shop.orders;

import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.Page;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.http.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The order read paths, with the {@code single-query} switch off and on. Both answer identically; how they get there is the lesson:
 * {@link Baseline} loads an order the way ORM defaults do (the order, then its buyer, then its items,
 * then each item's product: 3 + N statements), {@link Optimized} in one join.
 */
public abstract sealed class OrderReads permits OrderReads.Baseline, OrderReads.Optimized {

    /** @param singleQuery the {@code single-query} switch */
    public static OrderReads of(boolean singleQuery) {
        return singleQuery ? new Optimized() : new Baseline();
    }

    /** The order with its lines, or null. */
    public abstract OrderView order(Sql sql, long id) throws SQLException;

    abstract String summaryColumns();

    /** A user's orders since a day, newest first, keyset-paged on (created_at, id). */
    public Page<OrderSummary> userOrders(Sql sql, long userId, Instant since, int limit, long[] after) throws SQLException {
        List<OrderSummary> rows = sql.list(userOrdersSql(summaryColumns(), since != null, after != null), ps -> {
            int i = 1;
            ps.setLong(i++, userId);
            if (since != null) {
                ps.setObject(i++, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            }
            if (after != null) {
                ps.setObject(i++, Times.fromMicros(after[0]));
                ps.setLong(i++, after[1]);
            }
            ps.setInt(i, limit + 1);
        }, OrderReads::summary);
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        OrderSummary last = rows.get(limit - 1);
        return new Page<>(List.copyOf(rows.subList(0, limit)),
                Params.encodeCursor(Times.micros(Instant.parse(last.createdAt())), last.id()));
    }

    /** The user-orders query: parameters user_id, [since], [after created_at, after id], limit. */
    static String userOrdersSql(String columns, boolean since, boolean after) {
        return "SELECT " + columns + " FROM orders WHERE user_id = ?"
                + (since ? " AND created_at >= ?" : "")
                + (after ? " AND (created_at, id) < (?, ?)" : "")
                + " ORDER BY created_at DESC, id DESC LIMIT ?";
    }

    static OrderSummary summary(ResultSet rs) throws SQLException {
        return new OrderSummary(rs.getLong("id"), rs.getLong("user_id"), rs.getString("status"),
                Times.iso(rs, "created_at"), rs.getInt("item_count"), rs.getLong("total_cents"));
    }

    static final class Baseline extends OrderReads {
        static final String ITEMS = "SELECT * FROM order_items WHERE order_id = ? ORDER BY id";

        @Override
        String summaryColumns() {
            return "*";
        }

        @Override
        public OrderView order(Sql sql, long id) throws SQLException {
            OrderSummary o = sql.one("SELECT * FROM orders WHERE id = ?", ps -> ps.setLong(1, id), OrderReads::summary);
            if (o == null) {
                return null;
            }
            OrderView.Buyer buyer = sql.one("SELECT * FROM users WHERE id = ?", ps -> ps.setLong(1, o.userId()),
                    rs -> new OrderView.Buyer(rs.getLong("id"), rs.getString("name"), rs.getString("email")));
            record Item(long productId, int quantity, long unitPriceCents) {
            }
            List<Item> items = sql.list(ITEMS, ps -> ps.setLong(1, id),
                    rs -> new Item(rs.getLong("product_id"), rs.getInt("quantity"), rs.getLong("unit_price_cents")));
            List<OrderView.Line> lines = new java.util.ArrayList<>(items.size());
            for (Item item : items) {
                String name = sql.one("SELECT * FROM products WHERE id = ?", ps -> ps.setLong(1, item.productId()),
                        rs -> rs.getString("name"));
                lines.add(new OrderView.Line(item.productId(), name, item.quantity(), item.unitPriceCents()));
            }
            return new OrderView(o.id(), o.userId(), o.status(), o.createdAt(), o.itemCount(), o.totalCents(), buyer, lines);
        }
    }

    static final class Optimized extends OrderReads {
        static final String ORDER = """
                SELECT o.id, o.user_id, o.status, o.created_at, o.item_count, o.total_cents,
                       u.name AS buyer_name, u.email AS buyer_email,
                       i.product_id, i.quantity, i.unit_price_cents, p.name AS product_name
                FROM orders o
                JOIN users u ON u.id = o.user_id
                LEFT JOIN order_items i ON i.order_id = o.id
                LEFT JOIN products p ON p.id = i.product_id
                WHERE o.id = ?
                ORDER BY i.id""";

        @Override
        String summaryColumns() {
            return "id, user_id, status, created_at, item_count, total_cents";
        }

        @Override
        public OrderView order(Sql sql, long id) throws SQLException {
            record Row(OrderSummary order, OrderView.Buyer buyer, OrderView.Line line) {
            }
            List<Row> rows = sql.list(ORDER, ps -> ps.setLong(1, id), rs -> new Row(
                    summary(rs),
                    new OrderView.Buyer(rs.getLong("user_id"), rs.getString("buyer_name"), rs.getString("buyer_email")),
                    rs.getObject("product_id") == null ? null : new OrderView.Line(rs.getLong("product_id"),
                            rs.getString("product_name"), rs.getInt("quantity"), rs.getLong("unit_price_cents"))));
            if (rows.isEmpty()) {
                return null;
            }
            OrderSummary o = rows.getFirst().order();
            List<OrderView.Line> lines = rows.stream().map(Row::line).filter(java.util.Objects::nonNull).toList();
            return new OrderView(o.id(), o.userId(), o.status(), o.createdAt(), o.itemCount(), o.totalCents(),
                    rows.getFirst().buyer(), lines);
        }
    }
}
