package dev.headroom.shop.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;

/**
 * Route wiring with the HTTP rules every route shares: the route template is recorded for the
 * metrics, bodies are read only where a method takes one (bounded by {@link #MAX_BODY_BYTES}), a known
 * path with another method is a 405 with {@code Allow}, an unknown path a 404, all as problem+json.
 */
public final class Routes {
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private final Router router;
    private final Map<String, Set<String>> allowed = new LinkedHashMap<>();
    private final BodyHandler bodies = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);

    public Routes(Router router) {
        this.router = router;
    }

    public Routes get(String path, Handler<RoutingContext> handler) {
        return add(HttpMethod.GET, path, handler);
    }

    public Routes post(String path, Handler<RoutingContext> handler) {
        return add(HttpMethod.POST, path, handler);
    }

    public Routes patch(String path, Handler<RoutingContext> handler) {
        return add(HttpMethod.PATCH, path, handler);
    }

    private Routes add(HttpMethod method, String path, Handler<RoutingContext> handler) {
        var route = router.route(method, path);
        if (method == HttpMethod.POST || method == HttpMethod.PATCH) {
            route.handler(bodies); // Vert.x wants the body handler first
        }
        route.handler(ctx -> {
            ctx.put(RequestMetrics.ROUTE, path);
            ctx.next();
        }).handler(handler);
        allowed.computeIfAbsent(path, p -> new TreeSet<>()).add(method.name());
        return this;
    }

    /** Adds the 405 and 404 fallbacks and the problem+json error handlers; call after the last route. */
    public void finish() {
        allowed.forEach((path, methods) -> router.route(path).handler(ctx -> {
            ctx.put(RequestMetrics.ROUTE, path);
            String allow = String.join(", ", methods);
            Problems.send(ctx.response(), new ApiException(405, "Method Not Allowed",
                    ctx.request().method().name() + " is not supported on " + path + "; use " + allow,
                    List.of(), Map.of("Allow", allow)));
        }));
        router.route().last().handler(ctx -> Problems.send(ctx.response(),
                Problems.forStatus(404, "no route for " + ctx.request().method().name() + " " + ctx.request().path())));
        router.errorHandler(413, ctx -> Problems.send(ctx.response(),
                Problems.forStatus(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes")));
        router.errorHandler(400, ctx -> Problems.send(ctx.response(),
                Problems.forStatus(400, ctx.failure() == null ? "bad request" : "bad request: " + ctx.failure().getMessage())));
        router.errorHandler(500, ctx -> Problems.send(ctx.response(),
                Problems.forStatus(500, "an unexpected error occurred; it has been logged")));
    }
}
