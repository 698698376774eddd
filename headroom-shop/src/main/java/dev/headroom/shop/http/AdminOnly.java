package dev.headroom.shop.http;

import dev.headroom.edge.auth.AdminToken;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * Admin routes (price and stock changes): served only to a request that carries {@code Authorization: Bearer TOKEN}
 * with the shop's admin token ({@code ShopConfig.adminToken()}), compared in constant time; any other is a 401
 * problem+json with {@code WWW-Authenticate}, answered on the event loop before the route's handler runs, so nothing
 * changes and no permit or connection is taken.
 */
public final class AdminOnly {
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"headroom-shop\"");

    private final AdminToken token;

    /** @throws IllegalArgumentException if {@code token} is not a valid admin token */
    public AdminOnly(String token) {
        this.token = AdminToken.of(token);
    }

    /** {@code handler} behind the admin token. */
    public Handler<RoutingContext> guard(Handler<RoutingContext> handler) {
        return ctx -> {
            String given = ctx.request().getHeader("Authorization");
            if (token.admits(given)) {
                handler.handle(ctx);
                return;
            }
            String route = ctx.request().method().name() + " " + ctx.get(RequestMetrics.ROUTE);
            Problems.send(ctx.response(), new ApiException(401, "Unauthorized", (given == null ? "" : "the Authorization header "
                    + "does not carry the admin token; ") + route + " is an admin write: send the header 'Authorization: Bearer TOKEN' "
                    + "with the shop's admin token (headroom up --admin-token, or the 'admin-token' line it printed)", List.of(), CHALLENGE));
        };
    }
}
