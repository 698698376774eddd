package dev.headroom.experiments.faults;

/**
 * When a fault was injected and when it ended, {@link System#nanoTime()}; {@code endNanos} is -1 when it did not
 * end within its budget (a server the supervisor did not bring back).
 */
public record FaultWindow(long startNanos, long endNanos) {
    public boolean ended() {
        return endNanos >= 0;
    }

    /** From the start to the end, ms; -1 when it did not end. */
    public long millis() {
        return ended() ? (endNanos - startNanos) / 1_000_000 : -1;
    }
}
