package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The single-threaded heart of the engine: keyed panes, watermarks, firing. One per worker; all its
 * methods run on that worker's thread.
 *
 * <p><b>Per event</b> (the hot path): find the key (a probe, cached across runs of one key), divide the
 * time into a pane number, and if the pane ends after the watermark, update that one pane's aggregate.
 * No allocation, no lock; the slow path (late events) walks the windows of each spec that contain the
 * event. <b>Per batch</b>: move the watermark (idle sources first, then the batch's own maximum) and fire
 * every window whose end it passed, as the merge of its panes, for every key that has data in it —
 * quiet keys included, since the watermark is not per key (kafka-streams-examples#441).
 *
 * <p><b>Accounting</b> (the engine's counters, for the first window spec): an event is <i>counted</i>
 * when no window of that spec containing it has fired, <i>late</i> when one has but one still accepts it
 * (its end plus the allowed lateness is after the watermark), <i>dropped</i> when none accepts it. An
 * event is judged against the watermark as it stood before its batch. Per window, late and dropped are
 * counted for each window separately by the same rule; an event is added to its pane when any window of
 * any spec accepts it.
 *
 * <p><b>Results</b>: FINAL when the watermark passes a window's end; LATE_UPDATE for windows changed by
 * late or dropped events, on ticks and just before a changed window leaves its lateness (so the
 * recomputed merge never sees events dropped for it); EARLY on ticks, for every open tumbling window and
 * the next sliding window of each spec to fire, for keys that got events since the last tick. Each firing also reports this worker's merge
 * over its keys (key ALL_KEYS) to {@link Results}, which merges over workers.
 */
final class WindowCore {
    private final WindowSpec[] specs;
    private final String[] names;
    private final long pane;
    private final long lateness;
    private final long horizon;
    /** A pane is dead when its start plus this is at or before the watermark. */
    private final long retain;
    private final Watermarks watermarks;
    private final KeyIndex keys;
    private final Results out;
    private final int worker;
    /** Per spec: the end of the next window with data to fire, or Long.MAX_VALUE. */
    private final long[] nextEnd;

    private long watermark = Long.MIN_VALUE;
    private long now;
    private long received;
    private long counted;
    private long late;
    private long dropped;
    private int changedWindows;

    private volatile long receivedSeen;
    private volatile long countedSeen;
    private volatile long lateSeen;
    private volatile long droppedSeen;
    private volatile long watermarkSeen = Long.MIN_VALUE;

    WindowCore(Policy policy, Results out, int worker) {
        List<WindowSpec> windows = policy.windows();
        specs = windows.toArray(new WindowSpec[0]);
        names = windows.stream().map(WindowSpec::name).toArray(String[]::new);
        pane = policy.paneMillis();
        lateness = policy.allowedLateness();
        horizon = policy.horizonMillis();
        retain = policy.maxSizeMillis() + lateness + horizon;
        watermarks = new Watermarks(policy.outOfOrderness(), policy.idleTimeout(), policy.maxSources());
        int panesKept = (int) Math.min(1 << 16, (retain + policy.outOfOrderness()) / pane + 2);
        keys = new KeyIndex(specs.length, panesKept, policy.maxKeysPerWorker());
        this.out = out;
        this.worker = worker;
        nextEnd = new long[specs.length];
        Arrays.fill(nextEnd, Long.MAX_VALUE);
    }

    /**
     * A batch of source {@code source}, whose largest event time is {@code batchMax}, that arrived at wall
     * time {@code arrival}; {@code events} holds this worker's share (null when it has none: the batch
     * still moves the watermark).
     */
    void accept(EventBatch events, int source, long batchMax, long arrival) {
        now = arrival;
        advanceTo(watermarks.advance(arrival));
        if (events != null) {
            add(events);
        }
        advanceTo(watermarks.arrived(source, batchMax, arrival));
        publish();
    }

    private void add(EventBatch events) {
        int n = events.size();
        received += n;
        long w = watermark;
        long onTime = 0;
        KeyState key = null;
        for (int i = 0; i < n; i++) {
            // Runs of one key are common (sub-batches are split by key): skip the probe.
            int category = events.category(i);
            if (key == null || key.key != category) {
                key = keys.of(category);
            }
            long p = Math.floorDiv(events.time(i), pane);
            if ((p + 1) * pane > w) {
                Pane slot = key.slot(p);
                if (slot.index != p) {
                    slot = claim(key, p);
                }
                slot.aggregate.add(events, i);
                key.dirty = true;
                onTime++;
            } else {
                lateEvent(key, events, i, p);
            }
        }
        counted += onTime;
    }

    private void lateEvent(KeyState key, EventBatch events, int i, long p) {
        long t = events.time(i);
        long w = watermark;
        boolean accepted = false;
        for (int s = 0; s < specs.length; s++) {
            WindowSpec spec = specs[s];
            long first = spec.firstEnd(t);
            long last = spec.lastEnd(t);
            for (long end = first; end <= last; end += spec.slideMillis()) {
                if (end > w) {
                    accepted = true;
                } else if (end + lateness > w) {
                    accepted = true;
                    Pane books = windowPane(key, end);
                    books.late[s]++;
                    markChanged(books, s);
                } else if (end + lateness + horizon > w) {
                    Pane books = windowPane(key, end);
                    books.dropped[s]++;
                    markChanged(books, s);
                }
            }
            if (s == 0) {
                if (first > w) {
                    counted++;
                } else if (last + lateness > w) {
                    late++;
                } else {
                    dropped++;
                }
            }
        }
        if (accepted) {
            Pane slot = key.get(p);
            (slot != null ? slot : claim(key, p)).aggregate.add(events, i);
            key.dirty = true;
        }
    }

    /** The pane that keeps the books of the windows ending at {@code end}. */
    private Pane windowPane(KeyState key, long end) {
        long p = Math.floorDiv(end, pane) - 1;
        Pane slot = key.get(p);
        return slot != null ? slot : claim(key, p);
    }

    private void markChanged(Pane p, int s) {
        if (!p.changed[s]) {
            p.changed[s] = true;
            changedWindows++;
        }
    }

    private Pane claim(KeyState key, long p) {
        while (true) {
            Pane slot = key.slot(p);
            if (slot.index == p) {
                return slot;
            }
            if (slot.index == Pane.NONE || isDead(slot.index)) {
                changedWindows -= slot.reset(p);
                noteNewPane(p);
                return slot;
            }
            key.grow();
        }
    }

    /** Past its retention, and every window containing it has fired (a long jump of the watermark fires many). */
    private boolean isDead(long index) {
        long start = index * pane;
        if (watermark == Long.MIN_VALUE || start + retain > watermark) {
            return false;
        }
        for (int s = 0; s < specs.length; s++) {
            if (specs[s].lastEnd(start) >= nextEnd[s]) {
                return false;
            }
        }
        return true;
    }

    /** A new pane may hold data for a window earlier than the next one each spec was going to fire. */
    private void noteNewPane(long p) {
        long start = p * pane;
        for (int s = 0; s < specs.length; s++) {
            WindowSpec spec = specs[s];
            long first = spec.firstEnd(start);
            long end = first > watermark ? first : spec.firstEnd(watermark);
            if (end <= spec.lastEnd(start)) {
                nextEnd[s] = Math.min(nextEnd[s], end);
            }
        }
    }

    /** On the worker's timer: idle sources move on (unless batches are still queued), late updates, early results. */
    void tick(long wallNow, boolean idleMayAdvance) {
        now = wallNow;
        if (idleMayAdvance) {
            advanceTo(watermarks.advance(wallNow));
        }
        flushChanged(Long.MAX_VALUE);
        early();
        publish();
    }

    /** At close: report what late events changed; open windows stay open. */
    void finish(long wallNow) {
        now = wallNow;
        flushChanged(Long.MAX_VALUE);
        publish();
    }

    private void advanceTo(long w) {
        if (w <= watermark) {
            return;
        }
        if (changedWindows > 0) {
            flushChanged(w);
        }
        watermark = w;
        for (int s = 0; s < specs.length; s++) {
            while (nextEnd[s] <= watermark) {
                long end = nextEnd[s];
                report(s, end, WindowResult.Kind.FINAL);
                nextEnd[s] = nextWithData(s, end + specs[s].slideMillis());
            }
            out.firedThrough(worker, s, watermark);
        }
    }

    /** The first window end at or after {@code from} of spec {@code s} that has a pane, or Long.MAX_VALUE. */
    private long nextWithData(int s, long from) {
        WindowSpec spec = specs[s];
        long fromPane = Math.floorDiv(from - spec.sizeMillis(), pane);
        long min = Long.MAX_VALUE;
        for (KeyState k : keys.all()) {
            for (int i = 0; i < k.size(); i++) {
                long index = k.at(i).index;
                if (index != Pane.NONE && index >= fromPane && index < min) {
                    min = index;
                }
            }
        }
        return min == Long.MAX_VALUE ? min : Math.max(from, spec.firstEnd(min * pane));
    }

    /** LATE_UPDATE for every changed window ending at or before {@code retiringBy} - lateness. */
    private void flushChanged(long retiringBy) {
        if (changedWindows == 0) {
            return;
        }
        for (int s = 0; s < specs.length; s++) {
            TreeSet<Long> ends = new TreeSet<>();
            for (KeyState k : keys.all()) {
                for (int i = 0; i < k.size(); i++) {
                    Pane p = k.at(i);
                    long end = (p.index + 1) * pane;
                    if (p.index != Pane.NONE && p.changed[s] && end + lateness <= retiringBy) {
                        ends.add(end);
                    }
                }
            }
            for (long end : ends) {
                report(s, end, WindowResult.Kind.LATE_UPDATE);
            }
        }
    }

    private void early() {
        boolean any = false;
        for (KeyState k : keys.all()) {
            any |= k.dirty;
        }
        if (!any) {
            return;
        }
        for (int s = 0; s < specs.length; s++) {
            if (nextEnd[s] == Long.MAX_VALUE) {
                continue;
            }
            // Tumbling windows do not overlap: each open one is a pane or so to merge, and a source that holds the
            // watermark back must not hide the newest window's news. A sliding window's are many overlapping merges:
            // only the next to fire.
            long last = specs[s].sizeMillis() == specs[s].slideMillis() ? newestEnd(s) : nextEnd[s];
            for (long end = nextEnd[s]; end <= last; end += specs[s].slideMillis()) {
                report(s, end, WindowResult.Kind.EARLY);
            }
        }
        for (KeyState k : keys.all()) {
            k.dirty = false;
        }
    }

    /** The end of spec {@code s}'s window holding the newest pane with data. */
    private long newestEnd(int s) {
        long max = Long.MIN_VALUE;
        for (KeyState k : keys.all()) {
            for (int i = 0; i < k.size(); i++) {
                max = Math.max(max, k.at(i).index);
            }
        }
        return max == Long.MIN_VALUE || max == Pane.NONE ? nextEnd[s] : Math.max(nextEnd[s], specs[s].firstEnd(max * pane));
    }

    /**
     * Reports window [end - size, end) of spec {@code s}: per key (all keys with data for FINAL, keys with
     * news for EARLY and LATE_UPDATE) and this worker's merge over all its keys.
     */
    private void report(int s, long end, WindowResult.Kind kind) {
        long start = end - specs[s].sizeMillis();
        long endPane = Math.floorDiv(end, pane) - 1;
        boolean accepting = end + lateness > watermark;
        WindowAggregate all = null;
        long lateSum = 0;
        long droppedSum = 0;
        for (KeyState k : keys.all()) {
            Pane books = k.get(endPane);
            boolean changed = books != null && books.changed[s];
            WindowAggregate agg;
            boolean news;
            switch (kind) {
                case FINAL -> {
                    agg = merge(k, start, end);
                    if (agg != null) {
                        books = windowPane(k, end);
                        books.reported[s] = agg;
                    }
                    news = true;
                }
                case EARLY -> {
                    agg = merge(k, start, end);
                    news = k.dirty;
                }
                default -> {
                    if (changed && accepting) {
                        agg = merge(k, start, end);
                        books.reported[s] = agg != null ? agg : new WindowAggregate();
                        agg = books.reported[s];
                    } else if (books != null && books.reported[s] != null) {
                        agg = books.reported[s];
                    } else if (changed) {
                        agg = books.reported[s] = new WindowAggregate();
                    } else {
                        agg = accepting ? merge(k, start, end) : null;
                    }
                    news = changed;
                }
            }
            if (agg == null) {
                continue;
            }
            long keyLate = books == null ? 0 : books.late[s];
            long keyDropped = books == null ? 0 : books.dropped[s];
            if (all == null) {
                all = new WindowAggregate();
            }
            all.merge(agg);
            lateSum += keyLate;
            droppedSum += keyDropped;
            if (news) {
                WindowAggregate handed = kind == WindowResult.Kind.EARLY ? agg : copy(agg);
                out.emit(worker, s, new WindowResult(names[s], k.key, start, end, kind, handed, keyLate, keyDropped, now));
            }
            if (changed) {
                books.changed[s] = false;
                changedWindows--;
            }
        }
        if (all != null) {
            out.emit(worker, s, new WindowResult(names[s], WindowResult.ALL_KEYS, start, end, kind, all, lateSum, droppedSum, now));
        }
    }

    private WindowAggregate merge(KeyState k, long start, long end) {
        WindowAggregate acc = null;
        for (long p = Math.floorDiv(start, pane); p * pane < end; p++) {
            Pane slot = k.get(p);
            if (slot != null && slot.aggregate.events() > 0) {
                if (acc == null) {
                    acc = new WindowAggregate();
                }
                acc.merge(slot.aggregate);
            }
        }
        return acc;
    }

    private static WindowAggregate copy(WindowAggregate agg) {
        WindowAggregate c = new WindowAggregate();
        c.merge(agg);
        return c;
    }

    private void publish() {
        receivedSeen = received;
        countedSeen = counted;
        lateSeen = late;
        droppedSeen = dropped;
        watermarkSeen = watermark;
    }

    long received() {
        return receivedSeen;
    }

    long counted() {
        return countedSeen;
    }

    long late() {
        return lateSeen;
    }

    long dropped() {
        return droppedSeen;
    }

    long watermark() {
        return watermarkSeen;
    }
}
