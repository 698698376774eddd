package dev.headroom.analytics.store;

import dev.headroom.analytics.window.WindowAggregate;
import java.sql.SQLException;

/**
 * Folds a stream sorted by (bucket, category) into one aggregate per key, handing each to a sink as soon
 * as the key changes: one aggregate in memory at a time, whatever the range.
 */
final class BucketFolder {
    @FunctionalInterface
    interface Sink {
        void accept(RollupRow row) throws SQLException;
    }

    private final Sink sink;
    private WindowAggregate current;
    private long bucket;
    private int category;
    private long late;

    BucketFolder(Sink sink) {
        this.sink = sink;
    }

    /** The aggregate of key (bucket, category), the previous key's handed on if this one is new. */
    WindowAggregate at(long bucket, int category) throws SQLException {
        if (current == null || bucket != this.bucket || category != this.category) {
            finish();
            current = new WindowAggregate();
            this.bucket = bucket;
            this.category = category;
        }
        return current;
    }

    void addLate(long events) {
        late += events;
    }

    /** Hands on the last key's aggregate. */
    void finish() throws SQLException {
        if (current != null) {
            sink.accept(new RollupRow(bucket, category, current, late));
            current = null;
            late = 0;
        }
    }
}
