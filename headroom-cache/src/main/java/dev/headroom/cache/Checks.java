package dev.headroom.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * Builder checks shared by the cache and write-behind. Each message names the builder's property
 * (the setter's name, or the setter and parameter as one camelCase word: {@code leaseWait}), says
 * what it "must" be, and gives the bad value with its unit: {@code "leaseWait must be positive, was -1 ms"}.
 */
final class Checks {
    private Checks() {
    }

    /** A name that becomes part of Redis keys. */
    static String name(String why, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("name must be letters, digits, '_', '.' or '-'" + why + ", was "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        return name;
    }

    static <T> T notNull(String property, T value) {
        return Objects.requireNonNull(value, () -> property + " must not be null");
    }

    static Duration positive(String property, Duration d) {
        notNull(property, d);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(property + " must be positive, was " + describe(d));
        }
        return d;
    }

    static Duration notNegative(String property, Duration d) {
        notNull(property, d);
        if (d.isNegative()) {
            throw new IllegalArgumentException(property + " must not be negative, was " + describe(d));
        }
        return d;
    }

    static long atLeast(String property, long min, long n) {
        if (n < min) {
            throw new IllegalArgumentException(property + " must be at least " + min + ", was " + n);
        }
        return n;
    }

    /** In milliseconds when whole ({@code "-1 ms"}), else in nanoseconds ({@code "1500 ns"}). */
    static String describe(Duration d) {
        return d.getNano() % 1_000_000 == 0 ? d.toMillis() + " ms" : d.toNanos() + " ns";
    }
}
