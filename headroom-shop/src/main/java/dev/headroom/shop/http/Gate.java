package dev.headroom.shop.http;

import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;

/**
 * Which requests may start their blocking work now. Without the {@code admission} switch, a fixed bound on the
 * requests in flight ({@link #fixed}); with it, an adaptive limit with a CoDel queue, priority shedding and a
 * bulkhead per route class ({@link AdmissionGate}). Either way a refused request is answered at once, on the calling
 * thread, with 503 and {@code Retry-After}, and touches nothing else.
 */
public sealed interface Gate permits FixedGate, AdmissionGate {
    /**
     * Either answers {@code ctx} with a 503 itself, or calls {@code admitted} (now, or later from another thread) with
     * what gives the place back, to be run exactly once when the work is done.
     */
    void enter(RoutingContext ctx, RouteClass routeClass, Consumer<Runnable> admitted);

    /** At most {@code maxInFlight} requests at once, whatever their class; no queue. */
    static Gate fixed(int maxInFlight) {
        return new FixedGate(maxInFlight);
    }

    /** The answer to a refused request: retry after a second. */
    static void refuse(RoutingContext ctx, String why) {
        Problems.send(ctx.response(), ApiException.unavailable(why + "; retry shortly", 1));
    }
}
