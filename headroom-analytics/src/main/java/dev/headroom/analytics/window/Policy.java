package dev.headroom.analytics.window;

import java.util.List;

/**
 * What the engine and {@link ExactReplay} share: the windows and the lateness rules, in milliseconds.
 *
 * <p>Panes are slices of {@link #paneMillis} (the greatest common divisor of every window's slide), so
 * one event updates one pane whatever the number of windows and their overlap. A pane is kept until
 * the last window that contains it is past its allowed lateness plus {@link #horizonMillis} (the
 * largest window size): within that horizon, events too late to count are still counted as dropped
 * for their window and re-reported.
 */
record Policy(List<WindowSpec> windows, long outOfOrderness, long allowedLateness, long idleTimeout, long earlyInterval,
              int maxKeysPerWorker, int maxSources) {
    /** No bound on keys or sources: for the replay, which must see every key as itself. */
    static final int UNBOUNDED = Integer.MAX_VALUE;

    Policy {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("at least one window is needed, e.g. windows(WindowSpec.tumbling(Duration.ofSeconds(1)))");
        }
        windows = List.copyOf(windows);
        if (outOfOrderness < 0 || allowedLateness < 0) {
            throw new IllegalArgumentException("outOfOrderness and allowedLateness must not be negative, were "
                    + outOfOrderness + " ms and " + allowedLateness + " ms");
        }
        if (idleTimeout < 1 || earlyInterval < 1) {
            throw new IllegalArgumentException("idleTimeout and earlyInterval must be at least 1 ms, were "
                    + idleTimeout + " ms and " + earlyInterval + " ms");
        }
        if (maxKeysPerWorker < 1 || maxSources < 1) {
            throw new IllegalArgumentException("maxKeys and maxSources must be at least 1, were " + maxKeysPerWorker + " and " + maxSources);
        }
        if (windows.stream().map(WindowSpec::name).distinct().count() != windows.size()) {
            throw new IllegalArgumentException("windows must differ, were " + windows);
        }
    }

    /** With no bound on keys or sources. */
    Policy(List<WindowSpec> windows, long outOfOrderness, long allowedLateness, long idleTimeout, long earlyInterval) {
        this(windows, outOfOrderness, allowedLateness, idleTimeout, earlyInterval, UNBOUNDED, UNBOUNDED);
    }

    WindowSpec primary() {
        return windows.getFirst();
    }

    long paneMillis() {
        long gcd = 0;
        for (WindowSpec w : windows) {
            gcd = gcd(gcd, w.slideMillis());
        }
        return gcd;
    }

    long maxSizeMillis() {
        long max = 0;
        for (WindowSpec w : windows) {
            max = Math.max(max, w.sizeMillis());
        }
        return max;
    }

    long horizonMillis() {
        return maxSizeMillis();
    }

    int indexOf(String window) {
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).name().equals(window)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no window named " + window);
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
