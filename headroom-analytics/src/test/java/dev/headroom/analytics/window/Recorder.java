package dev.headroom.analytics.window;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A sink that keeps every result, and the latest FINAL or LATE_UPDATE of each window and key. */
final class Recorder implements WindowSink {
    private final List<WindowResult> all = new ArrayList<>();
    private final Map<ExactReplay.WindowKey, WindowResult> settled = new HashMap<>();

    @Override
    public synchronized void accept(WindowResult r) {
        all.add(r);
        if (r.kind() != WindowResult.Kind.EARLY) {
            settled.put(new ExactReplay.WindowKey(r.window(), r.key(), r.start()), r);
        }
    }

    synchronized List<WindowResult> all() {
        return List.copyOf(all);
    }

    synchronized Map<ExactReplay.WindowKey, WindowResult> settled() {
        return Map.copyOf(settled);
    }

    synchronized WindowResult settled(String window, int key, long start) {
        return settled.get(new ExactReplay.WindowKey(window, key, start));
    }

    /** Runs a core over {@code arrivals}, then moves wall time on by an hour so every window fires. */
    static void drive(WindowCore core, List<ExactReplay.Arrival> arrivals) {
        long last = 0;
        for (ExactReplay.Arrival a : arrivals) {
            core.accept(a.batch(), a.batch().source(), max(a), a.wallMillis());
            last = a.wallMillis();
        }
        core.tick(last + 3_600_000, true);
        core.finish(last + 3_600_000);
    }

    static long max(ExactReplay.Arrival a) {
        long max = Long.MIN_VALUE;
        for (int i = 0; i < a.batch().size(); i++) {
            max = Math.max(max, a.batch().time(i));
        }
        return max;
    }
}
