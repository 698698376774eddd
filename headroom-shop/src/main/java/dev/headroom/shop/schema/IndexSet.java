package dev.headroom.shop.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Brings the schema to the {@code indexes} switch's index set. The tables are the same either way; only the
 * secondary indexes differ, so one dataset serves every set of switches. Creating is idempotent: a restart with
 * the same switch finds every index in place and does nothing; flipping it builds or drops them.
 */
public final class IndexSet {
    /** An index the {@code indexes} switch adds, and the read path it serves. */
    record Index(String name, String definition, String serves) {
    }

    static final List<Index> OPTIMIZED = List.of(
            new Index("users_email_idx",
                    "CREATE INDEX users_email_idx ON users (email)",
                    "GET /users?email="),
            // Covering: the user's order list is answered from the index alone (index-only scan).
            new Index("orders_user_created_idx",
                    "CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC, id DESC)"
                            + " INCLUDE (status, item_count, total_cents)",
                    "GET /users/{id}/orders"),
            new Index("order_items_order_idx",
                    "CREATE INDEX order_items_order_idx ON order_items (order_id)"
                            + " INCLUDE (product_id, quantity, unit_price_cents)",
                    "GET /orders/{id}"),
            new Index("products_category_idx",
                    "CREATE INDEX products_category_idx ON products (category, id)",
                    "GET /products?category="),
            new Index("products_search_idx",
                    "CREATE INDEX products_search_idx ON products USING gin (" + ProductSearch.DOCUMENT + ")",
                    "GET /products?q="));

    private IndexSet() {
    }

    /** Creates or drops indexes until the schema holds all of them ({@code want}) or none; reports each change. */
    public static void apply(DataSource ds, boolean want, Consumer<String> progress) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            Set<String> present = existing(st);
            boolean changed = false;
            for (Index index : OPTIMIZED) {
                boolean has = present.contains(index.name());
                if (want && !has) {
                    progress.accept("schema: building index " + index.name() + " (for " + index.serves() + ")");
                    st.execute(index.definition());
                    changed = true;
                } else if (!want && has) {
                    progress.accept("schema: dropping index " + index.name() + " (the indexes switch is off)");
                    st.execute("DROP INDEX " + index.name());
                    changed = true;
                }
            }
            if (changed) {
                // Fresh statistics and visibility map: the planner's choice and index-only scans depend on them.
                progress.accept("schema: vacuum analyze");
                st.execute("VACUUM ANALYZE");
            }
        }
    }

    /** Names of the switch-managed indexes now present. */
    public static Set<String> existing(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            return existing(st);
        }
    }

    private static Set<String> existing(Statement st) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        names.retainAll(OPTIMIZED.stream().map(Index::name).toList());
        return names;
    }
}
