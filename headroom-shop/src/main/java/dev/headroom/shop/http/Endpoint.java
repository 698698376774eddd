package dev.headroom.shop.http;

import dev.headroom.shop.db.Sql;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;

/** A route's work, run on a virtual thread with the request's {@link Sql}; may block. */
@FunctionalInterface
public interface Endpoint {
    Reply serve(RoutingContext ctx, Sql sql) throws SQLException;
}
