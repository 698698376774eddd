package dev.headroom.analytics.store;

/** A rollup row's identity. */
record BucketKey(long bucket, int category) {
}
