package dev.headroom.testkit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test says so, for code that takes its time from an injected ticker (every
 * Headroom library does: see docs/conventions.md). {@link #read()} has the shape of a {@code long read()}
 * ticker in nanoseconds, so {@code fakeClock::read} fits one. Thread-safe.
 */
public final class FakeClock {

    private final AtomicLong nanos;

    /** Starts at an arbitrary non-zero time, so that code cannot mistake 0 for "unset". */
    public FakeClock() {
        this(Duration.ofHours(1));
    }

    public FakeClock(Duration start) {
        this.nanos = new AtomicLong(start.toNanos());
    }

    /** The current time in nanoseconds. */
    public long read() {
        return nanos.get();
    }

    /** Moves the clock forward; a negative duration is refused (time does not go back). */
    public FakeClock advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("advance must not be negative, was " + by.toMillis() + " ms");
        }
        nanos.addAndGet(by.toNanos());
        return this;
    }
}
