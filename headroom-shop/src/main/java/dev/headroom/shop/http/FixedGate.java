package dev.headroom.shop.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/** The shop without the {@code admission} switch: a fixed number of requests in flight, first come first served. */
final class FixedGate implements Gate {
    private final Semaphore inFlight;

    FixedGate(int maxInFlight) {
        this.inFlight = new Semaphore(maxInFlight);
    }

    @Override
    public void enter(RoutingContext ctx, RouteClass routeClass, Consumer<Runnable> admitted) {
        if (!inFlight.tryAcquire()) {
            Gate.refuse(ctx, "the shop is at its limit of requests in flight");
            return;
        }
        admitted.accept(inFlight::release);
    }
}
