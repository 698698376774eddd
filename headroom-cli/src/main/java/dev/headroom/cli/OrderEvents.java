package dev.headroom.cli;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventSink;
import dev.headroom.analytics.event.EventType;
import dev.headroom.shop.orders.OrderListener;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's committed orders as analytics events: one {@code order_placed} per order, its revenue the order's
 * total, its product and category the first line's (a category's id is its name's {@link String#hashCode()}, which
 * Java specifies, so the same across restarts and the rollups kept in DuckDB), so an order of several categories
 * counts wholly to its first line's. Handed to the engine
 * from the request's thread without waiting: when the engine is full the event is counted as not delivered
 * and logged — the order itself is safe in PostgreSQL; an outbox would make the event as durable.
 */
final class OrderEvents implements OrderListener {
    /** The source id of the shop's events: watermarks are kept per source. */
    static final int SOURCE = 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(OrderEvents.class);

    private final EventSink sink;
    private final AtomicLong undelivered = new AtomicLong();

    OrderEvents(EventSink sink) {
        this.sink = sink;
    }

    @Override
    public void placed(PlacedOrder order) {
        PlacedOrder.Item first = order.items().getFirst();
        EventBatch batch = new EventBatch(SOURCE, 1);
        batch.add(EventType.ORDER_PLACED, order.createdAtMillis(), order.userId(), Math.toIntExact(first.productId()),
                first.category().hashCode() & Integer.MAX_VALUE, order.totalCents(), 0);
        if (!sink.offer(batch) && undelivered.incrementAndGet() % 1_000 == 1) {
            LOG.warn("analytics is full: order {} not counted ({} orders so far)", order.orderId(), undelivered.get());
        }
    }

    /** Orders whose event the engine could not take (shown as {@code headroom_analytics_undelivered_orders}). */
    long undelivered() {
        return undelivered.get();
    }
}
