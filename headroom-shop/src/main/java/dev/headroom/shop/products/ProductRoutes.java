package dev.headroom.shop.products;

import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.ApiException;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.http.Reply;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.util.Set;

/** {@code GET /products/{id}} and {@code GET /products?q=&category=&limit=&after=}. */
public final class ProductRoutes {
    private static final Set<String> SEARCH_PARAMS = Set.of("q", "category", "limit", "after");
    private final ProductQueries products;

    public ProductRoutes(ProductQueries products) {
        this.products = products;
    }

    public Reply get(RoutingContext ctx, Sql sql) throws SQLException {
        Params.allowOnly(ctx, Set.of());
        long id = Params.pathId(ctx, "id");
        ProductView product = products.byId(sql, id);
        if (product == null) {
            throw ApiException.notFound("no product with id " + id);
        }
        return Reply.ok(product);
    }

    public Reply search(RoutingContext ctx, Sql sql) throws SQLException {
        Params.allowOnly(ctx, SEARCH_PARAMS);
        String q = Params.optional(ctx, "q", 200);
        String category = Params.optional(ctx, "category", 100);
        int limit = Params.limit(ctx);
        long[] after = Params.cursor(ctx, 1);
        return Reply.ok(products.search(sql, q, category, limit, after == null ? null : after[0]));
    }
}
