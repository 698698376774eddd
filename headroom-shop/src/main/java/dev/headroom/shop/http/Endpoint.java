package dev.headroom.shop.http;

import dev.headroom.shop.db.Sql;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;

/** A route's work, run on a virtual thread with the request's {@link Sql}; may block. */
@FunctionalInterface
public interface Endpoint {
    Reply serve(RoutingContext ctx, Sql sql) throws SQLException;

    /**
     * A route's answer from what this node holds in memory (its L1 caches), run on the event loop: must
     * not block. Null when it cannot answer, and the route's {@link Endpoint} then does the work.
     */
    @FunctionalInterface
    interface FromCache {
        Reply serve(RoutingContext ctx);
    }
}
