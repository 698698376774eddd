package dev.headroom.analytics.dashboard;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import dev.headroom.analytics.window.WindowAggregate;
import dev.headroom.analytics.window.WindowResult;
import dev.headroom.analytics.window.WindowResult.Kind;

/** Window results as the engine would emit them for the "1s" window, merged over keys, built from real events. */
final class Results {
    static final String WINDOW = "1s";

    private Results() {
    }

    /**
     * {@code visitors} page views by users 1..visitors, then {@code orders} orders of {@code orderCents} each
     * by the same users, of products 1..3.
     */
    static WindowResult of(Kind kind, long start, int orders, long orderCents, int visitors, long late) {
        EventBatch batch = new EventBatch(1, Math.max(1, orders + visitors));
        for (int i = 0; i < visitors; i++) {
            batch.add(EventType.PAGE_VIEW, start + i % 1000, 1 + i, 0, 1, 0, 2_000);
        }
        for (int i = 0; i < orders; i++) {
            batch.add(EventType.ORDER_PLACED, start + i % 1000, 1 + i % Math.max(1, visitors), 1 + i % 3, 1, orderCents, 0);
        }
        return of(kind, start, batch, late);
    }

    static WindowResult of(Kind kind, long start, EventBatch batch, long late) {
        WindowAggregate aggregate = new WindowAggregate();
        for (int i = 0; i < batch.size(); i++) {
            aggregate.add(batch, i);
        }
        return new WindowResult(WINDOW, WindowResult.ALL_KEYS, start, start + 1_000, kind, aggregate, late, 0,
                System.currentTimeMillis());
    }
}
