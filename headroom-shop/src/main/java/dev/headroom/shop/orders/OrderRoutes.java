package dev.headroom.shop.orders;

import dev.headroom.shop.cache.EntityCache;
import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.ApiException;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.http.Rendered;
import dev.headroom.shop.http.Reply;
import dev.headroom.shop.users.UserQueries;
import dev.headroom.shop.users.UserRoutes;
import dev.headroom.shop.users.UserView;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/** {@code GET /orders/{id}} and {@code GET /users/{id}/orders?since=&limit=&after=}. */
public final class OrderRoutes {
    private static final Set<String> LIST_PARAMS = Set.of("since", "limit", "after");
    private final OrderReads reads;
    private final UserQueries users;
    private final EntityCache<OrderView> orders;
    private final EntityCache<UserView> buyers;

    public OrderRoutes(OrderReads reads, UserQueries users, EntityCache<OrderView> orders, EntityCache<UserView> buyers) {
        this.reads = reads;
        this.users = users;
        this.orders = orders;
        this.buyers = buyers;
    }

    /**
     * The order from this node's L1, on the event loop, when its buyer is in the user L1 too; null sends the
     * request to {@link #get}. The reply is rendered each time, since its buyer part changes on its own.
     */
    public Reply fromCache(RoutingContext ctx) {
        Rendered<OrderView> order = orders.cachedLocally(Params.onlyPathId(ctx));
        Rendered<UserView> buyer = order == null ? null : buyers.cachedLocally(order.view().userId());
        return buyer == null ? null : withBuyer(order, buyer);
    }

    public Reply get(RoutingContext ctx, Sql sql) throws SQLException {
        long id = Params.onlyPathId(ctx);
        if (orders.tiered() == null) {
            OrderView order = reads.order(sql, id);
            if (order == null) {
                throw ApiException.notFound("no order with id " + id);
            }
            return Reply.cacheable(Rendered.of(order), UserRoutes.CACHE_CONTROL);
        }
        // cached without the buyer, whose name and email may change; they come from the user cache on each read
        Rendered<OrderView> order = orders.get(id, sql, key -> withoutBuyer(reads.order(sql, key)));
        if (order == null) {
            throw ApiException.notFound("no order with id " + id);
        }
        long userId = order.view().userId();
        Rendered<UserView> buyer = buyers.get(userId, sql, key -> users.byId(sql, key));
        if (buyer == null) {
            throw new IllegalStateException("order " + id + " names user " + userId + ", who does not exist");
        }
        return withBuyer(order, buyer);
    }

    /** The order with its buyer, as fresh as the older of the two entries. */
    private static Reply withBuyer(Rendered<OrderView> order, Rendered<UserView> buyer) {
        OrderView o = order.view();
        UserView b = buyer.view();
        long visible = Long.compareUnsigned(order.visible(), buyer.visible()) <= 0 ? order.visible() : buyer.visible();
        return Reply.cacheable(Rendered.of(new OrderView(o.id(), o.userId(), o.status(), o.createdAt(), o.itemCount(), o.totalCents(),
                new OrderView.Buyer(b.id(), b.name(), b.email()), o.items()), visible), UserRoutes.CACHE_CONTROL);
    }

    private static OrderView withoutBuyer(OrderView o) {
        return o == null ? null : new OrderView(o.id(), o.userId(), o.status(), o.createdAt(), o.itemCount(), o.totalCents(), null, o.items());
    }

    public Reply userOrders(RoutingContext ctx, Sql sql) throws SQLException {
        Params.allowOnly(ctx, LIST_PARAMS);
        long userId = Params.pathId(ctx, "id");
        LocalDate since = Params.optionalDate(ctx, "since");
        int limit = Params.limit(ctx);
        long[] after = Params.cursor(ctx, 2);
        if (!users.exists(sql, userId)) {
            throw ApiException.notFound("no user with id " + userId);
        }
        return Reply.ok(reads.userOrders(sql, userId, since == null ? null : since.atStartOfDay(ZoneOffset.UTC).toInstant(), limit, after));
    }
}
