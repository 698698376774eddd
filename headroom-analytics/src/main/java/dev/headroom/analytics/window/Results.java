package dev.headroom.analytics.window;

/** Where a {@link WindowCore} reports: per-key results, its partial over its keys, its progress. */
interface Results {
    /** A result of worker {@code worker} for window spec number {@code window}; key ALL_KEYS is a partial. */
    void emit(int worker, int window, WindowResult result);

    /** Worker {@code worker} has fired every window of spec {@code window} that ends at or before {@code watermark}. */
    void firedThrough(int worker, int window, long watermark);
}
