package dev.headroom.analytics.store;

/** A rollup's bucket size, and the table that keeps it. */
public enum Resolution {
    SECOND(1_000L, "rollup_1s"),
    MINUTE(60_000L, "rollup_1m"),
    HOUR(3_600_000L, "rollup_1h");

    private final long millis;
    private final String table;

    Resolution(long millis, String table) {
        this.millis = millis;
        this.table = table;
    }

    /** Bucket length in milliseconds. */
    public long millis() {
        return millis;
    }

    String table() {
        return table;
    }

    /**
     * Whether each bucket also has a row for all categories ({@code category = -1}, the engine's ALL_KEYS): the
     * hourly rollup does, so that the daily and weekly sketch queries merge 24 sketches a day, not 24 per category.
     */
    boolean keepsTotals() {
        return this == HOUR;
    }

    /** The start of the bucket holding {@code timeMillis}. */
    long bucketOf(long timeMillis) {
        return Math.floorDiv(timeMillis, millis) * millis;
    }
}
