package dev.headroom.data.replica;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * A router's state as Micrometer meters, read at scrape time (nothing is counted twice):
 * {@code headroom.replica.staleness} (seconds), {@code headroom.replica.serving} / {@code .ejected} / {@code .down}
 * (1 or 0) and {@code headroom.replica.reads} per replica; {@code headroom.router.reads} by {@code target}
 * (replica, primary) and {@code headroom.router.events} by {@code kind} (not-covered, waited, failover,
 * protected-primary, stale, shed).
 */
public final class ReplicaMetrics {
    private ReplicaMetrics() {
    }

    public static void bind(ReplicaRouter router, MeterRegistry registry) {
        for (Replica replica : router.replicaArray()) {
            Gauge.builder("headroom.replica.staleness", replica, r -> {
                double ms = ReplicaRouter.stalenessMs(r, System.nanoTime());
                return ms < 0 ? Double.NaN : ms / 1000;
            }).tag("replica", replica.name).baseUnit("seconds").register(registry);
            for (String state : new String[] {"serving", "ejected", "down"}) {
                Gauge.builder("headroom.replica." + state, replica, r -> router.state(r, System.nanoTime()).equals(state) ? 1 : 0)
                        .tag("replica", replica.name).register(registry);
            }
            FunctionCounter.builder("headroom.replica.reads", replica, r -> r.reads.sum()).tag("replica", replica.name)
                    .description("Reads the replica served").register(registry);
        }
        counter(registry, router, "headroom.router.reads", "target", "replica", s -> s.replicaReads());
        counter(registry, router, "headroom.router.reads", "target", "primary", s -> s.primaryReads());
        counter(registry, router, "headroom.router.events", "kind", "not-covered", s -> s.notCovered());
        counter(registry, router, "headroom.router.events", "kind", "waited", s -> s.waited());
        counter(registry, router, "headroom.router.events", "kind", "failover", s -> s.failovers());
        counter(registry, router, "headroom.router.events", "kind", "protected-primary", s -> s.protectedPrimary());
        counter(registry, router, "headroom.router.events", "kind", "stale", s -> s.staleServed());
        counter(registry, router, "headroom.router.events", "kind", "shed", s -> s.shed());
    }

    private static void counter(MeterRegistry registry, ReplicaRouter router, String meter, String tag, String value,
                                ToDoubleFunction<RouterStats> count) {
        FunctionCounter.builder(meter, router, r -> count.applyAsDouble(r.stats())).tag(tag, value).register(registry);
    }
}
