package dev.headroom.shop.http;

import dev.headroom.edge.admission.Priority;

/**
 * What a route is for, when the shop must choose what to serve under overload (the {@code admission} switch): each
 * class has its own bulkhead, and its priority decides who is shed first.
 */
public enum RouteClass {
    /** {@code POST /orders}: the money. Critical: keeps the whole limit, queued ahead of the rest. */
    CHECKOUT(Priority.CRITICAL),
    /**
     * {@code GET /products} (search): the heaviest read, and one a client can retry or do without. Sheddable, and
     * its bulkhead leaves a tenth of the connection pool to checkout, however many searches come.
     */
    SEARCH(Priority.SHEDDABLE),
    /** Everything else that runs blocking work: reads by id, a user's orders, updates. */
    OTHER(Priority.NORMAL);

    private final Priority priority;

    RouteClass(Priority priority) {
        this.priority = priority;
    }

    public Priority priority() {
        return priority;
    }
}
