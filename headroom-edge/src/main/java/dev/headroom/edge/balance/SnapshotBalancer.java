package dev.headroom.edge.balance;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The shared part of every balancer: the endpoint set as an immutable array behind a volatile field, replaced
 * whole, so a pick reads one consistent set without a lock. Subclasses derive what they need from a new set
 * ({@link #rebuilt}) before it is published.
 */
abstract class SnapshotBalancer implements Balancer {
    private volatile List<Endpoint> list = List.of();

    @Override
    public final List<Endpoint> endpoints() {
        return list;
    }

    @Override
    public final synchronized void setEndpoints(List<Endpoint> endpoints) {
        List<Endpoint> copy = List.copyOf(endpoints);
        Set<String> ids = new HashSet<>();
        for (Endpoint e : copy) {
            if (!ids.add(Objects.requireNonNull(e, "endpoints must not contain null").id())) {
                throw new IllegalArgumentException("endpoint ids must be distinct, '" + e.id() + "' is there twice");
            }
        }
        rebuilt(copy.toArray(Endpoint[]::new));
        list = copy;
    }

    /** Called with each new set, under the set's lock, before {@link #endpoints()} shows it. */
    abstract void rebuilt(Endpoint[] endpoints);
}
