package dev.headroom.analytics.window;

/**
 * A window's result for one key, as the engine emits it.
 *
 * @param window   the window's name (e.g. {@code 1s}, {@code 10s/1s}): one engine may keep several
 * @param key      the key the window was kept for (the event's category), or {@link #ALL_KEYS} for a merge over keys
 * @param start    window start, event time, epoch ms (inclusive)
 * @param end      window end, event time, epoch ms (exclusive)
 * @param kind     {@link Kind#EARLY} while the window is open, {@link Kind#FINAL} when the watermark passed its end,
 *                 {@link Kind#LATE_UPDATE} when late events changed it after that
 * @param late     events that arrived after the watermark passed {@code end} and were still counted
 * @param dropped  events for this window that arrived after its allowed lateness and were not counted
 * @param emittedAtMillis the wall clock of the arrival or timer tick that fired it (a batch's arrival is taken when it is
 *                 offered, before it waits in a worker's queue): to time when a result became available, take the clock
 *                 where it is received
 */
public record WindowResult(String window, int key, long start, long end, Kind kind, WindowAggregate aggregate,
                           long late, long dropped, long emittedAtMillis) {
    public static final int ALL_KEYS = -1;
    /** The key under which events of keys past the engine's {@code maxKeys} are counted together. */
    public static final int OTHER_KEYS = Integer.MIN_VALUE;

    public enum Kind { EARLY, FINAL, LATE_UPDATE }
}
