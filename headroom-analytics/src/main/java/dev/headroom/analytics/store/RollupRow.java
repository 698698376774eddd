package dev.headroom.analytics.store;

import dev.headroom.analytics.window.WindowAggregate;

/** One rollup row: what a bucket of one category holds. */
record RollupRow(long bucket, int category, WindowAggregate aggregate, long late) {
}
