package dev.headroom.experiments;

import java.time.Duration;

/** Waiting for a moment of an experiment's schedule. */
public final class Pause {
    private Pause() {
    }

    /**
     * Sleeps until {@link System#nanoTime()} reaches {@code nanoTime} (at once when it has); interrupted, returns
     * early with the flag set.
     */
    public static void until(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
