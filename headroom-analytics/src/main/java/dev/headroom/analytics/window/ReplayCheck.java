package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The engine against {@link ExactReplay} on the same arrivals: each batch offered at its arrival's wall time (a
 * clock of its own, one batch at a time), then an hour let pass so every window fires; every window and key the
 * replay knows is compared on its exact parts — counts per type, revenue, late and dropped — and a window only one
 * side reports is a mismatch too. What {@code headroom lab analytics} reports as "late and out-of-order events".
 */
public final class ReplayCheck {
    /** What the engine counted, and how many windows differ from the replay's. */
    public record Outcome(long events, long counted, long late, long dropped, long windows, long mismatches,
                          boolean countersMatch) { }

    private ReplayCheck() {
    }

    public static Outcome run(List<ExactReplay.Arrival> arrivals, List<WindowSpec> windows, Duration outOfOrderness,
                              Duration allowedLateness, Duration idleTimeout) {
        ExactReplay.Outcome exact = new ExactReplay(windows, outOfOrderness, allowedLateness, idleTimeout).replay(arrivals);
        AtomicLong wall = new AtomicLong(arrivals.isEmpty() ? 0 : arrivals.getFirst().wallMillis());
        Map<ExactReplay.WindowKey, WindowResult> settled = new HashMap<>();
        WindowSink keep = r -> {
            if (r.kind() != WindowResult.Kind.EARLY) {
                synchronized (settled) {
                    settled.put(new ExactReplay.WindowKey(r.window(), r.key(), r.start()), r);
                }
            }
        };
        PartitionedEngine engine = PartitionedEngine.builder().windows(windows.toArray(WindowSpec[]::new)).outOfOrderness(outOfOrderness)
                .allowedLateness(allowedLateness).idleTimeout(idleTimeout).earlyInterval(Duration.ofMillis(10)).sink(keep)
                .clock(() -> Instant.ofEpochMilli(wall.get())).build().start();
        try {
            for (ExactReplay.Arrival a : arrivals) {
                await(() -> engine.queued() == 0, "the engine to take the previous batch");
                wall.set(a.wallMillis());
                if (!engine.offer(copy(a))) {
                    throw new IllegalStateException("the engine refused a batch with an empty queue");
                }
            }
            await(() -> engine.queued() == 0, "the engine to take the last batch");
            long end = wall.addAndGet(TimeUnit.HOURS.toMillis(1));
            await(() -> engine.watermark() > end - TimeUnit.MINUTES.toMillis(50), "every window to fire");
        } finally {
            engine.close();
        }
        long mismatches;
        synchronized (settled) {
            mismatches = settled.keySet().stream().filter(k -> !exact.windows().containsKey(k)).count()
                    + exact.windows().entrySet().stream().filter(e -> !same(e.getValue(), settled.get(e.getKey()))).count();
        }
        boolean counters = engine.received() == exact.received() && engine.counted() == exact.counted()
                && engine.late() == exact.late() && engine.dropped() == exact.dropped();
        return new Outcome(engine.received(), engine.counted(), engine.late(), engine.dropped(), exact.windows().size(), mismatches, counters);
    }

    private static boolean same(ExactReplay.Exact exact, WindowResult result) {
        if (result == null) {
            return false;
        }
        WindowAggregate a = result.aggregate();
        for (EventType t : EventType.values()) {
            if (a.count(t) != exact.count(t)) {
                return false;
            }
        }
        return a.revenueCents() == exact.revenueCents() && result.late() == exact.late() && result.dropped() == exact.dropped();
    }

    /** The engine takes ownership of what it is offered; the replay's arrivals stay as they were. */
    private static EventBatch copy(ExactReplay.Arrival a) {
        EventBatch from = a.batch();
        EventBatch to = new EventBatch(from.source(), Math.max(1, from.size()));
        for (int i = 0; i < from.size(); i++) {
            to.addFrom(from, i);
        }
        return to;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("waited 30 s for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
