package dev.headroom.shop;

import java.util.Locale;

/**
 * The two ends of the performance journey, as named sets of {@link Switches}. Both serve identical responses
 * from one dataset; they differ only in how they get them.
 */
public enum Profile {
    /** The slow system the guides start from: no secondary indexes, N+1 loading, {@code SELECT *}, a new connection per request. */
    BASELINE(Switches.NONE),
    /** Every switch on: the right indexes, one query per read path, a pooled connection, HTTP validators and compression, L1 + L2. */
    OPTIMIZED(Switches.ALL);

    private final Switches switches;

    Profile(Switches switches) {
        this.switches = switches;
    }

    public Switches switches() {
        return switches;
    }

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
