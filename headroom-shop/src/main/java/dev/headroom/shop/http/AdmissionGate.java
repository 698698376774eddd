package dev.headroom.shop.http;

import dev.headroom.edge.admission.AdmissionController;
import dev.headroom.edge.admission.Bulkhead;
import dev.headroom.edge.admission.Permit;
import dev.headroom.edge.admission.Priority;
import dev.headroom.edge.admission.Rejection;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The shop with the {@code admission} switch: first the route class's bulkhead (full: refused at once), then the
 * adaptive limit ({@link AdmissionController}: Gradient2 with a floor, a CoDel queue, priority shares).
 *
 * <p>Sizes follow the connection pool, the resource the classes share. The limit never rises above the pool: a request
 * past it would wait in the pool's own queue, first come first served, where no priority holds and no CoDel drops.
 * It adapts below it, to half the pool, when the database slows. Past the limit requests wait in the
 * controller's queue, where a freed place goes to the highest class first; every class may use the whole limit
 * (shares of 1), so the searches use all connections while no checkout waits and a checkout waits for one freed
 * place only. The queue holds four pools' worth (CoDel keeps the wait short, the bound keeps it finite). Bulkheads: search and the other routes may each hold all of the
 * pool but a tenth of it (at least one connection), kept for checkout, so that a flood of slow searches leaves
 * checkout connections to run on; a tenth, not more, because what is kept is capacity the searches lose when no
 * checkout comes (with a pool of 4 a quarter; with 10 a tenth). Checkout's own bulkhead is the in-flight bound:
 * the adaptive limit, which it may fill alone, is what bounds it.
 */
public final class AdmissionGate implements Gate {
    /** The share of the connection pool that search and the other routes leave to checkout. */
    static final double KEPT_FOR_CHECKOUT = 0.1;
    private final AdmissionController controller;
    private final Map<RouteClass, Bulkhead> bulkheads = new EnumMap<>(RouteClass.class);

    /**
     * @param poolSize    the database connection pool's size
     * @param maxInFlight the most requests at once, whatever the latency
     */
    public AdmissionGate(int poolSize, int maxInFlight) {
        int ceiling = Math.min(poolSize, maxInFlight);
        this.controller = AdmissionController.builder().minLimit(Math.max(1, ceiling / 2)).initialLimit(ceiling).maxLimit(ceiling)
                .share(Priority.NORMAL, 1.0).share(Priority.SHEDDABLE, 1.0).maxQueue(4 * poolSize).build();
        int others = Math.max(1, poolSize - Math.max(1, (int) Math.ceil(poolSize * KEPT_FOR_CHECKOUT)));
        bulkheads.put(RouteClass.CHECKOUT, new Bulkhead("checkout", maxInFlight));
        bulkheads.put(RouteClass.SEARCH, new Bulkhead("search", others));
        bulkheads.put(RouteClass.OTHER, new Bulkhead("other", others));
    }

    @Override
    public void enter(RoutingContext ctx, RouteClass routeClass, Consumer<Runnable> admitted) {
        Bulkhead bulkhead = bulkheads.get(routeClass);
        if (!bulkhead.tryEnter()) {
            Gate.refuse(ctx, "the shop is at its limit of " + bulkhead.name() + " requests in flight");
            return;
        }
        controller.acquire(routeClass.priority()).thenAccept(admission -> {
            if (admission instanceof Permit permit) {
                admitted.accept(() -> {
                    permit.complete();
                    bulkhead.leave();
                });
            } else {
                bulkhead.leave();
                Gate.refuse(ctx, ((Rejection) admission).reason() == Rejection.Reason.EXPIRED
                        ? "the shop is overloaded and this request waited too long" : "the shop is overloaded and sheds this kind of request first");
            }
        });
    }

    /** {@code headroom_admission_*}: the limit, in flight, queued; admitted, shed and expired by priority; bulkheads by route class. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("headroom.admission.limit", controller, AdmissionController::limit)
                .description("the adaptive concurrency limit").register(registry);
        Gauge.builder("headroom.admission.in.flight", controller, AdmissionController::inFlight).register(registry);
        Gauge.builder("headroom.admission.queued", controller, AdmissionController::queued).register(registry);
        for (Priority p : Priority.values()) {
            String priority = p.name().toLowerCase(Locale.ROOT);
            FunctionCounter.builder("headroom.admission.admitted", controller, c -> c.admitted(p)).tag("priority", priority).register(registry);
            FunctionCounter.builder("headroom.admission.shed", controller, c -> c.shed(p)).tag("priority", priority)
                    .description("refused at once or evicted from the queue by a higher class").register(registry);
            FunctionCounter.builder("headroom.admission.expired", controller, c -> c.expired(p)).tag("priority", priority)
                    .description("dropped from the queue by CoDel").register(registry);
        }
        bulkheads.forEach((c, b) -> {
            Gauge.builder("headroom.admission.bulkhead.in.use", b, Bulkhead::inUse).tag("route_class", b.name()).register(registry);
            FunctionCounter.builder("headroom.admission.bulkhead.rejected", b, Bulkhead::rejected).tag("route_class", b.name()).register(registry);
        });
    }
}
