package dev.headroom.analytics.window;

import java.util.ArrayList;
import java.util.List;

/**
 * Key → {@link KeyState} by open addressing on the int key: no boxing on the per-event path. Past {@code limit}
 * keys, new ones share one state under {@link WindowResult#OTHER_KEYS}.
 */
final class KeyIndex {
    private final int windows;
    private final int initialSlots;
    private final int limit;
    private KeyState other;
    private KeyState[] table = new KeyState[64];
    private final List<KeyState> all = new ArrayList<>();

    KeyIndex(int windows, int initialSlots, int limit) {
        this.windows = windows;
        this.initialSlots = initialSlots;
        this.limit = limit;
    }

    /** The state of {@code key}, made on first sight. */
    KeyState of(int key) {
        int mask = table.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            KeyState k = table[i];
            if (k == null) {
                return add(key);
            }
            if (k.key == key) {
                return k;
            }
        }
    }

    private KeyState add(int key) {
        if (all.size() >= limit + (other == null ? 0 : 1)) {
            if (other == null) {
                other = new KeyState(WindowResult.OTHER_KEYS, windows, initialSlots);
                all.add(other);
            }
            return other;
        }
        KeyState k = new KeyState(key, windows, initialSlots);
        all.add(k);
        if (all.size() * 2 > table.length) {
            table = new KeyState[table.length * 2];
            all.forEach(this::place);
        } else {
            place(k);
        }
        return k;
    }

    private void place(KeyState k) {
        int mask = table.length - 1;
        int i = mix(k.key) & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = k;
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Every key seen, in the order first seen. */
    List<KeyState> all() {
        return all;
    }
}
