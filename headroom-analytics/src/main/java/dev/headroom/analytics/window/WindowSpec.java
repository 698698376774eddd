package dev.headroom.analytics.window;

import java.time.Duration;

/**
 * A window shape in event time: tumbling (size = slide) or hopping (size a multiple of the slide).
 * Windows are aligned to the epoch: a window of size {@code s} and slide {@code d} covers
 * {@code [k·d, k·d + s)} for every integer {@code k}. The name ({@code 1s}, {@code 10s/1s}) is what
 * {@link WindowResult#window()} carries.
 */
public final class WindowSpec {
    private final long sizeMillis;
    private final long slideMillis;
    private final String name;

    private WindowSpec(long sizeMillis, long slideMillis) {
        this.sizeMillis = sizeMillis;
        this.slideMillis = slideMillis;
        this.name = sizeMillis == slideMillis ? format(sizeMillis) : format(sizeMillis) + "/" + format(slideMillis);
    }

    /** Back-to-back windows of {@code size}. */
    public static WindowSpec tumbling(Duration size) {
        long millis = positiveMillis("window size", size);
        return new WindowSpec(millis, millis);
    }

    /** Windows of {@code size} starting every {@code slide}; each event is in size/slide of them. */
    public static WindowSpec hopping(Duration size, Duration slide) {
        long sizeMillis = positiveMillis("window size", size);
        long slideMillis = positiveMillis("window slide", slide);
        if (slideMillis > sizeMillis || sizeMillis % slideMillis != 0) {
            throw new IllegalArgumentException("window size must be a multiple of its slide, was size "
                    + format(sizeMillis) + " and slide " + format(slideMillis));
        }
        return new WindowSpec(sizeMillis, slideMillis);
    }

    private static long positiveMillis(String what, Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero() || duration.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException(what + " must be a positive whole number of milliseconds, was " + duration);
        }
        return duration.toMillis();
    }

    private static String format(long millis) {
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }

    public String name() {
        return name;
    }

    public Duration size() {
        return Duration.ofMillis(sizeMillis);
    }

    public Duration slide() {
        return Duration.ofMillis(slideMillis);
    }

    long sizeMillis() {
        return sizeMillis;
    }

    long slideMillis() {
        return slideMillis;
    }

    /** End of the first window that contains event time {@code t}. */
    long firstEnd(long t) {
        return Math.floorDiv(t, slideMillis) * slideMillis + slideMillis;
    }

    /** End of the last window that contains event time {@code t}. */
    long lastEnd(long t) {
        return firstEnd(t) + sizeMillis - slideMillis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowSpec other && other.sizeMillis == sizeMillis && other.slideMillis == slideMillis;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sizeMillis * 31 + slideMillis);
    }

    @Override
    public String toString() {
        return name;
    }
}
