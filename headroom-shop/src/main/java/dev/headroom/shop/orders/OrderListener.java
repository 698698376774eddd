package dev.headroom.shop.orders;

import java.util.List;

/**
 * Told of every order once it is committed (a retry with the same {@code Idempotency-Key} is not a new
 * order): the shop's event path to analytics and projections — a direct call now, the outbox when it
 * exists. Runs on the request's thread after the commit; it must be quick and must not throw (what it
 * throws is logged and the order still succeeds).
 */
@FunctionalInterface
public interface OrderListener {
    OrderListener NONE = order -> { };

    void placed(PlacedOrder order);

    /** A committed order as listeners see it. */
    record PlacedOrder(long orderId, long userId, long createdAtMillis, long totalCents, List<Item> items) {
        public record Item(long productId, String category, int quantity, long lineTotalCents) {
        }
    }
}
