package dev.headroom.experiments.faults;

import java.util.function.Consumer;

/**
 * A log that folds a line repeated at once into one line and a count: the edge says "not ejected" for every failed
 * request while a fault lasts, hundreds of times, and the fault's own lines would drown in them. The count comes
 * with the next different line or at {@link #flush()}. Thread-safe.
 */
final class RepeatFolding implements Consumer<String> {
    private final Consumer<String> out;
    private String last;
    private int repeats;

    RepeatFolding(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public synchronized void accept(String line) {
        if (line.equals(last)) {
            repeats++;
            return;
        }
        flush();
        last = line;
        out.accept(line);
    }

    /** Says how often the last line was repeated, if it was. */
    synchronized void flush() {
        if (repeats > 0) {
            out.accept("(the line above " + repeats + " more time" + (repeats == 1 ? "" : "s") + ")");
        }
        repeats = 0;
    }
}
