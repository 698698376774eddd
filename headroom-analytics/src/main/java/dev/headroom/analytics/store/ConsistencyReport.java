package dev.headroom.analytics.store;

import java.util.List;

/**
 * What {@link BatchRecompute#check} found: rows compared and the mismatches (the first
 * {@link #MAX_LISTED} described, all counted).
 */
public record ConsistencyReport(Resolution resolution, long from, long to, long rowsCompared, long mismatchCount,
                                List<String> mismatches) {
    public static final int MAX_LISTED = 100;

    public ConsistencyReport {
        mismatches = List.copyOf(mismatches);
    }

    public boolean consistent() {
        return mismatchCount == 0;
    }
}
