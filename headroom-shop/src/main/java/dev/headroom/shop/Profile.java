package dev.headroom.shop;

import java.util.Locale;

/**
 * The two ends of the performance journey. Both serve identical responses from one dataset;
 * they differ only in how they get them.
 */
public enum Profile {
    /** The slow system the guides start from: no secondary indexes, N+1 loading, {@code SELECT *}, a new connection per request. */
    BASELINE,
    /** The right indexes, one query per read path, a pooled connection. */
    OPTIMIZED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code baseline} or {@code optimized}, case-insensitively. */
    public static Profile parse(String text) {
        for (Profile p : values()) {
            if (p.id().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("profile must be baseline or optimized, was '" + text + "'");
    }
}
