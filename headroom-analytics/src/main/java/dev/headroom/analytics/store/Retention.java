package dev.headroom.analytics.store;

import java.time.Duration;

/**
 * How long each table keeps its rows, applied by {@link AnalyticsStore#compact(long)}; hourly rollups are
 * kept forever. A bucket is downsampled once {@code settle} has passed after its end, so {@code settle} must
 * be at least the engine's allowed lateness (no late update may change a bucket after it was downsampled),
 * and each fine table must keep its rows long enough to be downsampled first.
 *
 * @param raw       raw events, default {@link #DEFAULT_RAW}
 * @param perSecond 1 s rollups, default {@link #DEFAULT_PER_SECOND}
 * @param perMinute 1 min rollups, default {@link #DEFAULT_PER_MINUTE}
 * @param settle    wait after a bucket's end before it is downsampled, default {@link #DEFAULT_SETTLE}
 */
public record Retention(Duration raw, Duration perSecond, Duration perMinute, Duration settle) {
    /** 31 days: the longest named query looks 30 days back, on raw events too. */
    public static final Duration DEFAULT_RAW = Duration.ofDays(31);
    public static final Duration DEFAULT_PER_SECOND = Duration.ofHours(6);
    /** 8 days: a week of per-minute history and a day to spare. */
    public static final Duration DEFAULT_PER_MINUTE = Duration.ofDays(8);
    public static final Duration DEFAULT_SETTLE = Duration.ofMinutes(1);
    public static final Retention DEFAULTS = new Retention(DEFAULT_RAW, DEFAULT_PER_SECOND, DEFAULT_PER_MINUTE, DEFAULT_SETTLE);

    public Retention {
        positive("raw", raw);
        positive("perSecond", perSecond);
        positive("perMinute", perMinute);
        if (settle == null || settle.isNegative()) {
            throw new IllegalArgumentException("settle must be zero or more, was " + settle);
        }
        Duration secondsNeeded = settle.plus(Duration.ofMillis(Resolution.MINUTE.millis()));
        if (perSecond.compareTo(secondsNeeded) < 0) {
            throw new IllegalArgumentException("perSecond must be at least settle + 1 min (" + secondsNeeded
                    + ") so that every second is downsampled before it is deleted, was " + perSecond);
        }
        Duration minutesNeeded = settle.plus(Duration.ofMillis(Resolution.HOUR.millis()));
        if (perMinute.compareTo(minutesNeeded) < 0) {
            throw new IllegalArgumentException("perMinute must be at least settle + 1 h (" + minutesNeeded
                    + ") so that every minute is downsampled before it is deleted, was " + perMinute);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
        }
    }
}
