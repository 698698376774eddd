package dev.headroom.analytics.store;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import dev.headroom.analytics.window.WindowAggregate;
import dev.headroom.analytics.window.WindowResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Seeded events for the store's tests, and their aggregates computed directly (the reference). */
final class TestEvents {
    static final int CATEGORIES = 4;

    private TestEvents() {
    }

    /** {@code n} events spread over [from, from + span), in time order, a few products and categories. */
    static EventBatch seeded(long seed, int n, long from, long span) {
        SplittableRandom random = new SplittableRandom(seed);
        EventBatch batch = new EventBatch(0, n);
        for (int i = 0; i < n; i++) {
            long time = from + span * i / n;
            double r = random.nextDouble();
            EventType type = r < 0.4 ? EventType.PAGE_VIEW : r < 0.7 ? EventType.PRODUCT_VIEW : r < 0.85 ? EventType.SEARCH
                    : r < 0.95 ? EventType.CART_ADD : EventType.ORDER_PLACED;
            int product = 1 + (int) (200 * Math.pow(random.nextDouble(), 3));
            long amount = type == EventType.ORDER_PLACED || type == EventType.CART_ADD ? 199 + random.nextLong(20_000) : 0;
            int latency = type == EventType.PAGE_VIEW || type == EventType.SEARCH ? 500 + random.nextInt(40_000) : 0;
            batch.add(type, time, 1 + random.nextLong(3_000), product, 1 + product % CATEGORIES, amount, latency);
        }
        return batch;
    }

    /** The aggregate of every (bucket, category) of {@code events}, built event by event. */
    static Map<BucketKey, WindowAggregate> aggregate(EventBatch events, Resolution resolution) {
        Map<BucketKey, WindowAggregate> aggregates = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            aggregates.computeIfAbsent(key(events, i, resolution), k -> new WindowAggregate()).add(events, i);
        }
        return aggregates;
    }

    /** The exact number of distinct users of every (bucket, category). */
    static Map<BucketKey, Integer> distinctUsers(EventBatch events, Resolution resolution) {
        Map<BucketKey, Set<Long>> users = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            users.computeIfAbsent(key(events, i, resolution), k -> new HashSet<>()).add(events.user(i));
        }
        Map<BucketKey, Integer> counts = new HashMap<>();
        users.forEach((key, set) -> counts.put(key, set.size()));
        return counts;
    }

    static WindowResult result(BucketKey key, WindowAggregate aggregate, WindowResult.Kind kind) {
        return new WindowResult(RollupWriter.WINDOW, key.category(), key.bucket(), key.bucket() + 1_000, kind, aggregate,
                kind == WindowResult.Kind.LATE_UPDATE ? 1 : 0, 0, key.bucket() + 1_500);
    }

    private static BucketKey key(EventBatch events, int i, Resolution resolution) {
        return new BucketKey(resolution.bucketOf(events.time(i)), events.category(i));
    }
}
