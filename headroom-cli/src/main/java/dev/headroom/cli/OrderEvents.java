package dev.headroom.cli;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventSink;
import dev.headroom.analytics.event.EventType;
import dev.headroom.shop.orders.OrderListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's committed orders as analytics events: one {@code order_placed} per order, its revenue the order's
 * total, its product and category the first line's (categories numbered as first seen). Handed to the engine
 * from the request's thread without waiting: when the engine is full the event is counted as not delivered
 * and logged — the order itself is safe in PostgreSQL; an outbox would make the event as durable.
 */
final class OrderEvents implements OrderListener {
    /** The source id of the shop's events: watermarks are kept per source. */
    static final int SOURCE = 1_000_000;
    private static final Logger LOG = LoggerFactory.getLogger(OrderEvents.class);

    private final EventSink sink;
    private final Map<String, Integer> categories = new ConcurrentHashMap<>();
    private final AtomicInteger lastCategory = new AtomicInteger();
    private final AtomicLong undelivered = new AtomicLong();

    OrderEvents(EventSink sink) {
        this.sink = sink;
    }

    @Override
    public void placed(PlacedOrder order) {
        PlacedOrder.Item first = order.items().getFirst();
        EventBatch batch = new EventBatch(SOURCE, 1);
        batch.add(EventType.ORDER_PLACED, order.createdAtMillis(), order.userId(), Math.toIntExact(first.productId()),
                categories.computeIfAbsent(first.category(), c -> lastCategory.incrementAndGet()), order.totalCents(), 0);
        if (!sink.offer(batch) && undelivered.incrementAndGet() % 1_000 == 1) {
            LOG.warn("analytics is full: order {} not counted ({} orders so far)", order.orderId(), undelivered.get());
        }
    }

    long undelivered() {
        return undelivered.get();
    }
}
