package dev.headroom.edge.balance;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The shared part of every balancer: the endpoint set as an immutable list and array behind volatile fields,
 * replaced whole, so a pick reads one consistent set without a lock ({@link #array()}). Subclasses that derive
 * more from a new set (a ring, a table, scores) do it in {@link #rebuilt} before the set is published.
 */
abstract class SnapshotBalancer implements Balancer {
    private volatile List<Endpoint> list = List.of();
    private volatile Endpoint[] array = new Endpoint[0];

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
        Endpoint[] set = copy.toArray(Endpoint[]::new);
        rebuilt(set);
        array = set;
        list = copy;
    }

    /** The set now, for a pick to read once; never modified. */
    final Endpoint[] array() {
        return array;
    }

    /** Called with each new set, under the set's lock, before it is published; nothing to derive by default. */
    void rebuilt(Endpoint[] endpoints) {
    }
}
