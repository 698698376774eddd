package dev.headroom.shop.orders;

import dev.headroom.shop.db.Sql;
import dev.headroom.shop.http.ApiException;
import dev.headroom.shop.http.Params;
import dev.headroom.shop.http.Reply;
import dev.headroom.shop.users.UserQueries;
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

    public OrderRoutes(OrderReads reads, UserQueries users) {
        this.reads = reads;
        this.users = users;
    }

    public Reply get(RoutingContext ctx, Sql sql) throws SQLException {
        Params.allowOnly(ctx, Set.of());
        long id = Params.pathId(ctx, "id");
        OrderView order = reads.order(sql, id);
        if (order == null) {
            throw ApiException.notFound("no order with id " + id);
        }
        return Reply.ok(order);
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
