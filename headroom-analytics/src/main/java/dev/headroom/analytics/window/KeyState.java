package dev.headroom.analytics.window;

/**
 * The panes of one key, in a ring indexed by pane number: a lookup is one mask and one compare. The
 * ring doubles when a live pane is in the way (events spread over more time than it spans), which
 * happens a few times at start-up and then never.
 */
final class KeyState {
    final int key;
    private final int windows;
    private Pane[] slots;
    private int mask;
    /** Got events since the last early results. */
    boolean dirty;

    KeyState(int key, int windows, int initialSlots) {
        this.key = key;
        this.windows = windows;
        slots = newSlots(Integer.highestOneBit(Math.max(2, initialSlots - 1)) << 1);
        mask = slots.length - 1;
    }

    private Pane[] newSlots(int n) {
        Pane[] panes = new Pane[n];
        for (int i = 0; i < n; i++) {
            panes[i] = new Pane(windows);
        }
        return panes;
    }

    /** The slot pane {@code index} lives in, whatever it holds now. */
    Pane slot(long index) {
        return slots[(int) (index & mask)];
    }

    /** Pane {@code index}, or null when this key has none. */
    Pane get(long index) {
        Pane p = slots[(int) (index & mask)];
        return p.index == index ? p : null;
    }

    int size() {
        return slots.length;
    }

    Pane at(int i) {
        return slots[i];
    }

    void grow() {
        Pane[] old = slots;
        Pane[] grown = new Pane[old.length * 2];
        int newMask = grown.length - 1;
        for (Pane p : old) {
            if (p.index != Pane.NONE) {
                grown[(int) (p.index & newMask)] = p;
            }
        }
        for (int i = 0; i < grown.length; i++) {
            if (grown[i] == null) {
                grown[i] = new Pane(windows);
            }
        }
        slots = grown;
        mask = newMask;
    }
}
