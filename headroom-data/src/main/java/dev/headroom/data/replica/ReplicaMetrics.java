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
        for (ReplicaStatus initial : router.replicas()) {
            String name = initial.name();
            replicaGauge(registry, router, name, "headroom.replica.staleness", "seconds", s -> s.stalenessMs() < 0 ? Double.NaN : s.stalenessMs() / 1000);
            for (String state : new String[] {"serving", "ejected", "down"}) {
                replicaGauge(registry, router, name, "headroom.replica." + state, null, s -> s.state().equals(state) ? 1 : 0);
            }
            FunctionCounter.builder("headroom.replica.reads", router, r -> status(r, name).reads()).tag("replica", name)
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

    private static void replicaGauge(MeterRegistry registry, ReplicaRouter router, String name, String meter, String unit,
                                     ToDoubleFunction<ReplicaStatus> value) {
        Gauge.builder(meter, router, r -> value.applyAsDouble(status(r, name))).tag("replica", name).baseUnit(unit).register(registry);
    }

    private static void counter(MeterRegistry registry, ReplicaRouter router, String meter, String tag, String value,
                                ToDoubleFunction<RouterStats> count) {
        FunctionCounter.builder(meter, router, r -> count.applyAsDouble(r.stats())).tag(tag, value).register(registry);
    }

    private static ReplicaStatus status(ReplicaRouter router, String name) {
        return router.replicas().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
