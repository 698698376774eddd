package dev.headroom.cache;

import java.time.Duration;

/** Builder checks shared by the cache and write-behind, with messages that say what to change. */
final class Checks {
    private Checks() {
    }

    /** A name that becomes part of Redis keys. */
    static String name(String kind, String why, String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(kind + " name must be letters, digits, '_', '.' or '-'" + why + ", was '" + name + "'");
        }
        return name;
    }

    static Duration positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }
}
