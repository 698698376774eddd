package dev.headroom.cli;

import java.util.function.Supplier;

/** Validation of command-line values, so every bad value fails before anything starts, with the flag named. */
final class Flags {
    private Flags() {
    }

    /** Runs {@code check}; an IllegalArgumentException comes back prefixed with the flag (unless it names it already). */
    static <T> T check(String flag, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            throw new IllegalArgumentException(message != null && message.startsWith(flag) ? message : flag + ": " + message, e);
        }
    }
}
