package dev.headroom.analytics.store;

import dev.headroom.analytics.window.WindowAggregate;
import dev.headroom.analytics.window.WindowResult;
import java.sql.SQLException;

/**
 * Folds a stream sorted by (bucket, category) into one aggregate per key, handing each to a sink as soon
 * as the key changes: one aggregate in memory at a time, whatever the range. At resolutions that
 * {@linkplain Resolution#keepsTotals() keep totals}, each bucket's categories are also merged into a row
 * for all of them ({@link WindowResult#ALL_KEYS}), handed on after the bucket's last category.
 */
final class BucketFolder {
    @FunctionalInterface
    interface Sink {
        void accept(RollupRow row) throws SQLException;
    }

    private final Sink sink;
    private final boolean totals;
    private WindowAggregate current;
    private long bucket;
    private int category;
    private long late;
    private WindowAggregate total;
    private long totalLate;

    BucketFolder(Resolution resolution, Sink sink) {
        this.sink = sink;
        this.totals = resolution.keepsTotals();
    }

    /** The aggregate of key (bucket, category), the previous key's handed on if this one is new. */
    WindowAggregate at(long bucket, int category) throws SQLException {
        if (current == null || bucket != this.bucket || category != this.category) {
            handOn(bucket != this.bucket);
            current = new WindowAggregate();
            this.bucket = bucket;
            this.category = category;
        }
        return current;
    }

    void addLate(long events) {
        late += events;
    }

    /** Hands on the last key's aggregate (and its bucket's total). */
    void finish() throws SQLException {
        handOn(true);
    }

    private void handOn(boolean bucketEnds) throws SQLException {
        if (current == null) {
            return;
        }
        if (totals) {
            if (total == null) {
                total = new WindowAggregate();
            }
            total.merge(current);
            totalLate += late;
        }
        sink.accept(new RollupRow(bucket, category, current, late));
        current = null;
        late = 0;
        if (totals && bucketEnds) {
            sink.accept(new RollupRow(bucket, WindowResult.ALL_KEYS, total, totalLate));
            total = null;
            totalLate = 0;
        }
    }
}
