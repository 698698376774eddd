package dev.headroom.analytics.dashboard;

import dev.headroom.analytics.event.EventType;
import dev.headroom.analytics.window.WindowAggregate;
import dev.headroom.analytics.window.WindowResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.HllUnion;

/**
 * What the dashboard shows, from one window's results merged over keys: running totals over the closed
 * windows (FINAL, then each LATE_UPDATE replacing that window's earlier contribution, so nothing counts
 * twice), plus the windows still open (their latest EARLY result, until their FINAL replaces it).
 *
 * <p>Distinct visitors are the HLL union of every window's users: a union is idempotent, so a LATE_UPDATE's
 * sketch (a superset of its FINAL's) adds only its new users. Top products sum each window's top
 * {@value #PRODUCTS_PER_WINDOW} estimates: approximate beyond what any window ranked. A LATE_UPDATE for a
 * window older than the last {@value #RETAINED_WINDOWS} is ignored: allowed lateness is far shorter.
 *
 * <p>Not thread-safe: {@link Dashboard} guards it. Each result costs one HLL union (a few microseconds).
 */
final class Totals {
    static final int CHART_WINDOWS = 60;
    static final int TOP_PRODUCTS = 10;
    static final int PRODUCTS_PER_WINDOW = 20;
    static final int RETAINED_WINDOWS = 3600;

    /** One window's contribution. */
    private record Figures(long start, long end, long orders, long revenueCents, long events, long late, long dropped,
                           long[][] top) {
        static Figures of(WindowResult r) {
            WindowAggregate a = r.aggregate();
            return new Figures(r.start(), r.end(), a.count(EventType.ORDER_PLACED), a.revenueCents(), a.events(),
                    r.late(), r.dropped(), a.topProducts(PRODUCTS_PER_WINDOW));
        }
    }

    private final String window;
    private final NavigableMap<Long, Figures> closed = new TreeMap<>();
    private final NavigableMap<Long, Figures> open = new TreeMap<>();
    private final Map<Long, HllSketch> openUsers = new HashMap<>();
    private final HllUnion closedUsers = new HllUnion(WindowAggregate.HLL_LG_K);
    private final Map<Long, Long> productCounts = new HashMap<>();
    private long evictedThrough = Long.MIN_VALUE;
    private long orders;
    private long revenueCents;
    private long events;
    private long late;
    private long dropped;
    private double visitors;

    Totals(String window) {
        this.window = window;
    }

    /** @return whether {@code r} changed what is shown (results of other windows and per-key ones do not) */
    boolean accept(WindowResult r) {
        if (r.key() != WindowResult.ALL_KEYS || !r.window().equals(window) || r.start() <= evictedThrough) {
            return false;
        }
        if (r.kind() == WindowResult.Kind.EARLY) {
            if (closed.containsKey(r.start())) {
                return false; // an early result overtaken by its final
            }
            open.put(r.start(), Figures.of(r));
            openUsers.put(r.start(), r.aggregate().usersSketch().copy());
        } else {
            open.remove(r.start());
            openUsers.remove(r.start());
            Figures previous = closed.put(r.start(), Figures.of(r));
            if (previous != null) {
                add(previous, -1);
            }
            add(closed.get(r.start()), 1);
            closedUsers.update(r.aggregate().usersSketch());
            evict();
        }
        visitors = visitorsWithOpen();
        return true;
    }

    private void add(Figures f, int sign) {
        orders += sign * f.orders;
        revenueCents += sign * f.revenueCents;
        events += sign * f.events;
        late += sign * f.late;
        dropped += sign * f.dropped;
        for (long[] product : f.top) {
            productCounts.merge(product[0], sign * product[1], Long::sum);
        }
    }

    private void evict() {
        while (closed.size() > RETAINED_WINDOWS) {
            evictedThrough = closed.pollFirstEntry().getKey(); // its totals stay counted
        }
    }

    private double visitorsWithOpen() {
        if (openUsers.isEmpty()) {
            return closedUsers.getEstimate();
        }
        HllUnion all = new HllUnion(WindowAggregate.HLL_LG_K);
        all.update(closedUsers.getResult());
        openUsers.values().forEach(all::update);
        return all.getEstimate();
    }

    long orders() {
        return orders + sum(open, Figures::orders);
    }

    long revenueCents() {
        return revenueCents + sum(open, Figures::revenueCents);
    }

    long events() {
        return events + sum(open, Figures::events);
    }

    long late() {
        return late + sum(open, Figures::late);
    }

    long visitors() {
        return Math.round(visitors);
    }

    /** "early" when the newest window is still open, "final" when it closed, "none" before any result. */
    String current() {
        if (open.isEmpty() && closed.isEmpty()) {
            return "none";
        }
        long newestClosed = closed.isEmpty() ? Long.MIN_VALUE : closed.lastKey();
        return !open.isEmpty() && open.lastKey() > newestClosed ? "early" : "final";
    }

    private static long sum(NavigableMap<Long, Figures> windows, ToLongFunction<Figures> part) {
        long sum = 0;
        for (Figures f : windows.values()) {
            sum += part.applyAsLong(f);
        }
        return sum;
    }

    /** Everything the page shows, as the JSON it is pushed as. */
    JsonObject snapshot(ServiceFigures service, long nowMillis) {
        NavigableMap<Long, Figures> recent = new TreeMap<>(open);
        closed.descendingMap().values().stream().limit(CHART_WINDOWS).forEach(f -> recent.put(f.start, f));
        while (recent.size() > CHART_WINDOWS) {
            recent.pollFirstEntry();
        }
        JsonArray windows = new JsonArray();
        for (Figures f : recent.values()) {
            windows.add(new JsonObject()
                    .put("start", f.start).put("end", f.end).put("orders", f.orders)
                    .put("ordersPerSecond", f.orders * 1000.0 / Math.max(1, f.end - f.start))
                    .put("revenueCents", f.revenueCents).put("early", open.containsKey(f.start)));
        }
        return new JsonObject()
                .put("window", window).put("current", current()).put("renderedAtMillis", nowMillis)
                .put("orders", orders()).put("revenueCents", revenueCents()).put("visitors", visitors())
                .put("events", events()).put("late", late()).put("dropped", dropped + sum(open, Figures::dropped))
                .put("windows", windows).put("topProducts", topProducts()).put("service", service(service));
    }

    private JsonArray topProducts() {
        Map<Long, Long> counts = new HashMap<>(productCounts);
        for (Figures f : open.values()) {
            for (long[] product : f.top) {
                counts.merge(product[0], product[1], Long::sum);
            }
        }
        JsonArray top = new JsonArray();
        counts.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<Long, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_PRODUCTS)
                .forEach(e -> top.add(new JsonObject().put("product", e.getKey()).put("count", e.getValue())));
        return top;
    }

    private static JsonObject service(ServiceFigures service) {
        JsonArray routes = new JsonArray();
        service.p99MillisByRoute().forEach((route, p99) -> routes.add(new JsonObject().put("route", route).put("p99Millis", p99)));
        double ratio = service.cacheHitRatio();
        return new JsonObject().put("routes", routes).put("cacheHitRatio", Double.isNaN(ratio) ? null : ratio);
    }
}
