package dev.headroom.shop.products;

import dev.headroom.shop.cache.EntityCache;
import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.ApiException;
import dev.headroom.shop.http.Bodies;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.http.Rendered;
import dev.headroom.shop.http.Reply;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.util.Set;

/** {@code GET /products/{id}}, {@code PATCH /products/{id}} and {@code GET /products?q=&category=&limit=&after=}. */
public final class ProductRoutes {
    /** A product page may be reused for a few seconds without asking: a price change shows within that. */
    static final String CACHE_CONTROL = "public, max-age=5";
    static final int MAX_DESCRIPTION = 2000;
    static final long MAX_PRICE_CENTS = 100_000_000_000L;
    private static final Set<String> SEARCH_PARAMS = Set.of("q", "category", "limit", "after");
    private final ProductQueries products;
    private final EntityCache<ProductView> cache;

    public ProductRoutes(ProductQueries products, EntityCache<ProductView> cache) {
        this.products = products;
        this.cache = cache;
    }

    /** The product from this node's L1, on the event loop; null sends the request to {@link #get}. */
    public Reply fromCache(RoutingContext ctx) {
        Rendered<ProductView> product = cache.cachedLocally(Params.onlyPathId(ctx));
        return product == null ? null : Reply.cacheable(product, CACHE_CONTROL);
    }

    public Reply get(RoutingContext ctx, Sql sql) throws SQLException {
        long id = Params.onlyPathId(ctx);
        Rendered<ProductView> product = cache.get(id, sql, key -> products.byId(sql, key));
        if (product == null) {
            throw ApiException.notFound("no product with id " + id);
        }
        return Reply.cacheable(product, CACHE_CONTROL);
    }

    /** Changes the price and/or description; names stay as they are, since placed orders show them. */
    public Reply patch(RoutingContext ctx, Sql sql) throws SQLException {
        long id = Params.onlyPathId(ctx);
        Bodies body = Bodies.of(ctx).allowOnly(Set.of("priceCents", "description"));
        Long price = body.has("priceCents") ? body.positiveLong("priceCents") : null;
        String description = body.has("description") ? body.string("description", MAX_DESCRIPTION) : null;
        if (price != null && price > MAX_PRICE_CENTS) {
            body.error("priceCents", "must be at most " + MAX_PRICE_CENTS + ", was " + price);
        }
        if (!body.has("priceCents") && !body.has("description")) {
            body.error("priceCents", "give priceCents, description or both");
        }
        body.check();
        ProductView updated = products.update(sql, id, price, description);
        if (updated == null) {
            throw ApiException.notFound("no product with id " + id);
        }
        cache.invalidate(id);
        return Reply.ok(updated);
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
