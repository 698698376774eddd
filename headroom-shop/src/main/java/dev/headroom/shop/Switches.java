package dev.headroom.shop;

import dev.headroom.shop.cache.CacheMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which optimizations a shop runs with: any set of {@link Switch}es and a cache mode. Written and parsed as
 * {@code indexes,single-query,pool,http,cache=l1+l2}; {@code none} is the baseline.
 */
public record Switches(Set<Switch> on, CacheMode cache) {
    public static final Switches NONE = new Switches(EnumSet.noneOf(Switch.class), CacheMode.NONE);
    public static final Switches ALL = new Switches(EnumSet.allOf(Switch.class), CacheMode.L1_L2);

    public Switches {
        on = on.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(on));
        if (cache == null) {
            throw new IllegalArgumentException("cache mode must be given (none when off)");
        }
    }

    public boolean has(Switch s) {
        return on.contains(s);
    }

    /** These switches and one more. */
    public Switches with(Switch s) {
        EnumSet<Switch> more = on.isEmpty() ? EnumSet.noneOf(Switch.class) : EnumSet.copyOf(on);
        more.add(s);
        return new Switches(more, cache);
    }

    public Switches withCache(CacheMode mode) {
        return new Switches(on, mode);
    }

    /** The switches in declaration order, then the cache when on; {@code none} when nothing is. */
    public String id() {
        List<String> parts = new ArrayList<>();
        Arrays.stream(Switch.values()).filter(on::contains).forEach(s -> parts.add(s.id()));
        if (cache != CacheMode.NONE) {
            parts.add("cache=" + cache.id());
        }
        return parts.isEmpty() ? "none" : String.join(",", parts);
    }

    /**
     * Parses a comma-separated list such as {@code indexes,pool,cache=l1}; {@code none} (or nothing) turns everything off.
     *
     * @throws IllegalArgumentException naming the unknown or repeated item and the valid ones
     */
    public static Switches parse(String text) {
        String list = text == null ? "" : text.trim();
        if (list.isEmpty() || list.equalsIgnoreCase("none")) {
            return NONE;
        }
        EnumSet<Switch> on = EnumSet.noneOf(Switch.class);
        CacheMode cache = null;
        for (String raw : list.split(",", -1)) {
            String item = raw.trim().toLowerCase(Locale.ROOT);
            if (item.startsWith("cache=")) {
                if (cache != null) {
                    throw new IllegalArgumentException("cache is given twice in '" + text + "'");
                }
                cache = CacheMode.parse(item.substring("cache=".length()));
                continue;
            }
            Switch s = Arrays.stream(Switch.values()).filter(v -> v.id().equals(item)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown optimization '" + raw.trim() + "' in '" + text
                            + "'; use any of " + ids() + ", cache=MODE (" + CacheMode.ids() + "), or none"));
            if (!on.add(s)) {
                throw new IllegalArgumentException(s.id() + " is given twice in '" + text + "'");
            }
        }
        return new Switches(on, cache == null ? CacheMode.NONE : cache);
    }

    private static String ids() {
        return Arrays.stream(Switch.values()).map(Switch::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id();
    }
}
