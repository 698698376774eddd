package dev.headroom.data.replica;

import java.time.Duration;
import java.util.Locale;

/**
 * What a read must see, chosen per request. Written as {@code primary}, {@code read-your-writes},
 * {@code bounded-staleness=250ms} or {@code any} (see {@link #parse}).
 */
public sealed interface Consistency {

    /** The primary, always: for reads that decide a write. */
    record Primary() implements Consistency {
        @Override
        public String toString() {
            return "primary";
        }
    }

    /** A replica that has replayed the token (or the primary): the client's own writes are visible. */
    record ReadYourWrites(ConsistencyToken token) implements Consistency {
        public ReadYourWrites {
            java.util.Objects.requireNonNull(token, "read-your-writes needs a token");
        }

        @Override
        public String toString() {
            return "read-your-writes";
        }
    }

    /** A replica at most this far behind the primary (or the primary). */
    record BoundedStaleness(Duration bound) implements Consistency {
        public BoundedStaleness {
            if (bound.isNegative() || bound.isZero()) {
                throw new IllegalArgumentException("bounded-staleness must be positive, was " + bound.toMillis() + " ms");
            }
        }

        @Override
        public String toString() {
            return "bounded-staleness=" + bound.toMillis() + "ms";
        }
    }

    /** Any replica that answers, however far behind; the primary only when none does. */
    record Any() implements Consistency {
        @Override
        public String toString() {
            return "any";
        }
    }

    Consistency PRIMARY = new Primary();
    Consistency ANY = new Any();

    static Consistency readYourWrites(ConsistencyToken token) {
        return new ReadYourWrites(token);
    }

    static Consistency boundedStaleness(Duration bound) {
        return new BoundedStaleness(bound);
    }

    /**
     * A level as a client names it: {@code primary}, {@code read-your-writes} (needs {@code token}),
     * {@code bounded-staleness=DURATION} ({@code 250ms}, {@code 2s}) or {@code any}; case-insensitive.
     *
     * @param token the request's token, or null
     * @throws IllegalArgumentException naming the levels there are, or the missing token
     */
    static Consistency parse(String level, ConsistencyToken token) {
        String text = level.strip().toLowerCase(Locale.ROOT);
        switch (text) {
            case "primary":
                return PRIMARY;
            case "any":
                return ANY;
            case "read-your-writes":
                if (token == null) {
                    throw new IllegalArgumentException("read-your-writes needs the consistency token of the write to see");
                }
                return readYourWrites(token);
            default:
                Duration bound = text.startsWith("bounded-staleness=") ? duration(text.substring("bounded-staleness=".length())) : null;
                if (bound != null) {
                    return boundedStaleness(bound);
                }
                throw new IllegalArgumentException("the consistency level must be primary, read-your-writes, "
                        + "bounded-staleness=DURATION (e.g. bounded-staleness=250ms) or any, was '"
                        + (level.length() > 40 ? level.substring(0, 40) + "…" : level) + "'");
        }
    }

    /** {@code 250ms} or {@code 2s} (1 to 9 digits, not starting with 0), else null. */
    private static Duration duration(String text) {
        boolean millis = text.endsWith("ms");
        if (!millis && !text.endsWith("s")) {
            return null;
        }
        String digits = text.substring(0, text.length() - (millis ? 2 : 1));
        if (digits.isEmpty() || digits.length() > 9 || digits.charAt(0) == '0' || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long amount = Long.parseLong(digits);
        return millis ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
    }
}
