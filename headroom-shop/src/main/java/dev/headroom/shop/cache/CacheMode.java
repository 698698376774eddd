package dev.headroom.shop.cache;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which caches the optimized shop reads through. {@code l1+l2} is the one to run; the others exist so the
 * cache lab can measure what each part is worth on the same workload.
 */
public enum CacheMode {
    /** Every read goes to PostgreSQL. */
    NONE("none"),
    /** Caffeine in each node, kept coherent over Redis pub/sub. */
    L1("l1"),
    /** Redis only, shared by the nodes. */
    L2("l2"),
    /** Caffeine in front of Redis: the default. */
    L1_L2("l1+l2"),
    /** {@code l1+l2} without single flight and Redis leases: concurrent misses each query the database. */
    L1_L2_NO_COALESCING("l1+l2-no-coalescing"),
    /** As {@code l1}, with a plain LRU of the same size instead of Caffeine. */
    LRU("lru");

    private final String id;

    CacheMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean l1() {
        return this != NONE && this != L2;
    }

    public boolean l2() {
        return this == L2 || this == L1_L2 || this == L1_L2_NO_COALESCING;
    }

    /** Parses a mode's id, e.g. {@code l1+l2}, case-insensitively. */
    public static CacheMode parse(String text) {
        for (CacheMode m : values()) {
            if (m.id.equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("cache must be one of " + ids() + ", was '" + text + "'");
    }

    public static String ids() {
        return Arrays.stream(values()).map(CacheMode::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
