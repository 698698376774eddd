package dev.headroom.analytics.window;

/**
 * One slice of event time for one key: the aggregate of its events, plus the bookkeeping of the
 * windows (one per window spec) that END with this pane: their late and dropped counts, whether they
 * changed since last reported, and what was last reported for them.
 */
final class Pane {
    static final long NONE = Long.MIN_VALUE;

    long index = NONE;
    WindowAggregate aggregate;
    final long[] late;
    final long[] dropped;
    final boolean[] changed;
    /** The aggregate last reported for the window ending here (ours, a copy went to the sink). */
    final WindowAggregate[] reported;

    Pane(int windows) {
        late = new long[windows];
        dropped = new long[windows];
        changed = new boolean[windows];
        reported = new WindowAggregate[windows];
    }

    /** Reuses this slot for pane {@code index}; returns how many changed flags were pending. */
    int reset(long index) {
        this.index = index;
        aggregate = new WindowAggregate();
        int pending = 0;
        for (int w = 0; w < late.length; w++) {
            pending += changed[w] ? 1 : 0;
            late[w] = 0;
            dropped[w] = 0;
            changed[w] = false;
            reported[w] = null;
        }
        return pending;
    }
}
