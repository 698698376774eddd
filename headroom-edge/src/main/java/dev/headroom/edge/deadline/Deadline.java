package dev.headroom.edge.deadline;

import java.time.Duration;

/**
 * The moment after which a request's answer is of no use to whoever asked, on this JVM's monotonic clock. Between
 * services it travels as the time left, in whole milliseconds, in {@value #HEADER} (relative, as gRPC's
 * {@code grpc-timeout}: the two machines' clocks need not agree; the hop's own time is spent from it). Each hop takes
 * the earlier of what it was given and its own limit ({@link #min}), and sends on what is left ({@link #header()}).
 */
public final class Deadline {
    /** The request header that carries the time left, in milliseconds. */
    public static final String HEADER = "Headroom-Deadline-Ms";
    /** The longest a header may ask for: a day. Longer is taken for a mistake, not a deadline. */
    public static final long MAX_MILLIS = Duration.ofDays(1).toMillis();

    private final long atNanos;

    private Deadline(long atNanos) {
        this.atNanos = atNanos;
    }

    /** {@code timeout} from now. */
    public static Deadline after(Duration timeout) {
        return afterNanos(timeout.toNanos());
    }

    public static Deadline afterNanos(long nanos) {
        return new Deadline(System.nanoTime() + Math.max(0, nanos));
    }

    /**
     * The deadline a request header gives, counted from {@code receivedNanos} ({@link System#nanoTime()} when the
     * request arrived); null when there is no header.
     *
     * @throws IllegalArgumentException when the value is not a whole number of milliseconds from 0 to {@value #MAX_MILLIS}
     */
    public static Deadline fromHeader(String value, long receivedNanos) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        long millis = v.isEmpty() || v.length() > 9 ? -1 : 0;
        for (int i = 0; i < v.length() && millis >= 0; i++) {
            char c = v.charAt(i);
            millis = c >= '0' && c <= '9' ? millis * 10 + (c - '0') : -1; // no stream per request: every request behind the edge has one
        }
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException(HEADER + " must be the milliseconds left, a whole number from 0 to " + MAX_MILLIS + ", was '" + value + "'");
        }
        return new Deadline(receivedNanos + millis * 1_000_000L);
    }

    /** The earlier of the two; {@code other} may be null. */
    public Deadline min(Deadline other) {
        return other == null || atNanos - other.atNanos <= 0 ? this : other;
    }

    /** Nanoseconds left, 0 once passed. */
    public long remainingNanos() {
        return Math.max(0, atNanos - System.nanoTime());
    }

    public long remainingMillis() {
        return remainingNanos() / 1_000_000L;
    }

    public boolean expired() {
        return atNanos - System.nanoTime() <= 0;
    }

    /** The value to send on: the whole milliseconds left (rounded down, so the next hop never gets more than there is). */
    public String header() {
        return Long.toString(remainingMillis());
    }

    /** @throws DeadlineExceededException once passed, saying what was not done */
    public void check(String work) {
        if (expired()) {
            throw new DeadlineExceededException(work);
        }
    }

    @Override
    public String toString() {
        return "Deadline[" + remainingMillis() + " ms left]";
    }
}
