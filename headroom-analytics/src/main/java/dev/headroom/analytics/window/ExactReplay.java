package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference the engine is checked against: replays events in arrival order under the same rules
 * (watermarks per source with idle sources, allowed lateness, the accounting of {@link WindowCore}) and
 * keeps, for every window of every spec and key (and {@link WindowResult#ALL_KEYS}), everything exactly:
 * counts, revenue, late, dropped, the set of users, the count of every product, every latency. Nothing
 * incremental, no panes, no sketches: each event is put in each window it belongs to.
 *
 * <p>One difference by design: here {@code dropped} counts every event too late for a window; the engine
 * reports a window's dropped events only while the window is within its allowed lateness plus the
 * largest window size (the engine's counter of dropped events is exact either way).
 */
public final class ExactReplay {
    /** A batch as it arrived, at wall time {@code wallMillis}. */
    public record Arrival(long wallMillis, EventBatch batch) {}

    /** Which window: spec name, key (or ALL_KEYS), start (epoch ms). */
    public record WindowKey(String window, int key, long start) {}

    /** Everything one window knows, exactly. */
    public static final class Exact {
        private final long[] counts = new long[EventType.COUNT];
        private long revenueCents;
        private long late;
        private long dropped;
        private final Set<Long> users = new HashSet<>();
        private final Map<Long, Long> products = new HashMap<>();
        private final List<Long> latencies = new ArrayList<>();

        private void add(EventBatch b, int i) {
            int type = b.typeCode(i);
            counts[type]++;
            users.add(b.user(i));
            if (type == EventType.ORDER_PLACED.ordinal()) {
                revenueCents += b.amountCents(i);
            }
            if (b.latencyMicros(i) > 0) {
                latencies.add((long) b.latencyMicros(i));
            }
            if (b.product(i) != 0 && type != EventType.PAGE_VIEW.ordinal()) {
                products.merge((long) b.product(i), 1L, Long::sum);
            }
        }

        public long count(EventType type) {
            return counts[type.ordinal()];
        }

        public long events() {
            long sum = 0;
            for (long c : counts) {
                sum += c;
            }
            return sum;
        }

        public long revenueCents() {
            return revenueCents;
        }

        public long late() {
            return late;
        }

        public long dropped() {
            return dropped;
        }

        public Set<Long> users() {
            return Set.copyOf(users);
        }

        /** Product → how many (non page-view) events named it. */
        public Map<Long, Long> productCounts() {
            return Map.copyOf(products);
        }

        /** The {@code n} most frequent products, most frequent first (ties: smaller id first). */
        public List<Long> topProducts(int n) {
            return products.entrySet().stream()
                    .sorted(Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(n).map(Map.Entry::getKey).toList();
        }

        /** Every latency seen, sorted. */
        public long[] latencies() {
            return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }

        /** The weight the frequent-items sketch sees: events that name a product, page views aside. */
        public long productWeight() {
            return products.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** What a replay found; the counters follow the first window spec, as the engine's. */
    public record Outcome(Map<WindowKey, Exact> windows, long received, long counted, long late, long dropped) {
        public Exact window(String window, int key, long start) {
            return windows.get(new WindowKey(window, key, start));
        }
    }

    private final Policy policy;

    public ExactReplay(List<WindowSpec> windows, Duration outOfOrderness, Duration allowedLateness, Duration idleTimeout) {
        policy = new Policy(windows, outOfOrderness.toMillis(), allowedLateness.toMillis(), idleTimeout.toMillis(), 1);
    }

    public Outcome replay(List<Arrival> arrivals) {
        Map<WindowKey, Exact> windows = new HashMap<>();
        Watermarks watermarks = new Watermarks(policy.outOfOrderness(), policy.idleTimeout(), policy.maxSources());
        long lateness = policy.allowedLateness();
        long received = 0;
        long counted = 0;
        long late = 0;
        long dropped = 0;
        for (Arrival a : arrivals) {
            long w = watermarks.advance(a.wallMillis());
            EventBatch b = a.batch();
            long max = Long.MIN_VALUE;
            for (int i = 0; i < b.size(); i++) {
                long t = b.time(i);
                max = Math.max(max, t);
                received++;
                for (int s = 0; s < policy.windows().size(); s++) {
                    WindowSpec spec = policy.windows().get(s);
                    int onTime = 0;
                    int lateFor = 0;
                    for (long end = spec.firstEnd(t); end <= spec.lastEnd(t); end += spec.slideMillis()) {
                        for (int key : new int[] {b.category(i), WindowResult.ALL_KEYS}) {
                            Exact e = windows.computeIfAbsent(new WindowKey(spec.name(), key, end - spec.sizeMillis()), k -> new Exact());
                            if (end > w) {
                                e.add(b, i);
                            } else if (end + lateness > w) {
                                e.add(b, i);
                                e.late++;
                            } else {
                                e.dropped++;
                            }
                        }
                        onTime += end > w ? 1 : 0;
                        lateFor += end <= w && end + lateness > w ? 1 : 0;
                    }
                    if (s == 0) {
                        int windowsOfEvent = (int) (spec.sizeMillis() / spec.slideMillis());
                        if (onTime == windowsOfEvent) {
                            counted++;
                        } else if (onTime + lateFor > 0) {
                            late++;
                        } else {
                            dropped++;
                        }
                    }
                }
            }
            watermarks.arrived(b.source(), max, a.wallMillis());
        }
        windows.values().removeIf(e -> e.events() == 0 && e.late == 0 && e.dropped == 0);
        return new Outcome(Map.copyOf(windows), received, counted, late, dropped);
    }
}
