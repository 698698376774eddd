package dev.headroom.shop.products;

import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.Page;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.http.Times;
import dev.headroom.shop.schema.ProductSearch;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Product lookups and keyset-paged search (full-text on name and description, by category, by id). */
public final class ProductQueries {
    private final String columns;

    /** @param namedColumns the {@code single-query} switch: name the columns read instead of {@code SELECT *} */
    public ProductQueries(boolean namedColumns) {
        this.columns = namedColumns ? "id, name, category, price_cents, description, created_at" : "*";
    }

    public ProductView byId(Sql sql, long id) throws SQLException {
        return sql.one("SELECT " + columns + " FROM products WHERE id = ?", ps -> ps.setLong(1, id), ProductQueries::map);
    }

    /** Sets the price and/or description (null: unchanged) in one statement; null when there is no such product. */
    public ProductView update(Sql sql, long id, Long priceCents, String description) throws SQLException {
        return sql.one("UPDATE products SET price_cents = COALESCE(?, price_cents), description = COALESCE(?, description)"
                        + " WHERE id = ? RETURNING " + columns,
                ps -> {
                    if (priceCents == null) {
                        ps.setNull(1, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(1, priceCents);
                    }
                    ps.setString(2, description);
                    ps.setLong(3, id);
                }, ProductQueries::map);
    }

    /** Products matching all given filters, in id order, after {@code afterId}; fetches one extra row to know if a next page exists. */
    public Page<ProductView> search(Sql sql, String q, String category, int limit, Long afterId) throws SQLException {
        List<Object> args = new ArrayList<>();
        if (q != null) {
            args.add(q);
        }
        if (category != null) {
            args.add(category);
        }
        if (afterId != null) {
            args.add(afterId);
        }
        List<ProductView> rows = sql.list(searchSql(columns, q != null, category != null, afterId != null), ps -> {
            int i = 1;
            for (Object arg : args) {
                bind(ps, i++, arg);
            }
            ps.setInt(i, limit + 1);
        }, ProductQueries::map);
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<ProductView> page = rows.subList(0, limit);
        return new Page<>(List.copyOf(page), Params.encodeCursor(page.getLast().id()));
    }

    /** The search query: parameters [q], [category], [after id], limit. */
    static String searchSql(String columns, boolean q, boolean category, boolean after) {
        return "SELECT " + columns + " FROM products WHERE true"
                + (q ? " AND " + ProductSearch.DOCUMENT + " @@ websearch_to_tsquery('english', ?)" : "")
                + (category ? " AND category = ?" : "")
                + (after ? " AND id > ?" : "")
                + " ORDER BY id LIMIT ?";
    }

    private static void bind(PreparedStatement ps, int index, Object arg) throws SQLException {
        if (arg instanceof Long l) {
            ps.setLong(index, l);
        } else {
            ps.setString(index, (String) arg);
        }
    }

    static ProductView map(ResultSet rs) throws SQLException {
        return new ProductView(rs.getLong("id"), rs.getString("name"), rs.getString("category"),
                rs.getLong("price_cents"), rs.getString("description"), Times.iso(rs, "created_at"));
    }
}
