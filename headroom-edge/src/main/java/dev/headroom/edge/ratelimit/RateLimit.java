package dev.headroom.edge.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * One limit: {@code amount} requests per {@code period} for each key, as a token bucket of {@code burst} tokens that
 * refills {@code amount} per {@code period}, smoothly (Bucket4j's greedy refill: one token every period/amount).
 *
 * <p>The form is {@code AMOUNT/PERIOD[,key=KEY][,burst=N]}: {@code 100/s}, {@code 6000/min},
 * {@code 100/s,key=header:X-Api-Key}, {@code 1000/s,key=all,burst=200}. PERIOD is {@code s}, {@code min} or
 * {@code h}. KEY is {@code address} (the default: a bucket per client address), {@code header:NAME} (a bucket per
 * value of that header; a request without it is keyed by its address), {@code route} (a bucket per route) or
 * {@code all} (one bucket for every request). The burst defaults to the amount, one period's worth, so that
 * {@code RateLimit-Policy}'s quota per window says exactly what the bucket holds; give {@code burst=} to admit less
 * at once (e.g. {@code 6000/min,burst=100}).
 */
public record RateLimit(long amount, Duration period, long burst, Key key) {
    static final String FORMS = "AMOUNT/PERIOD[,key=address|header:NAME|route|all][,burst=N] with PERIOD s, min or h, e.g. 100/s, "
            + "6000/min, 100/s,key=header:X-Api-Key";

    public RateLimit {
        if (amount < 1 || amount > 1_000_000_000L) {
            throw new IllegalArgumentException("a rate limit's amount must be between 1 and 1000000000, was " + amount);
        }
        if (period == null || period.compareTo(Duration.ofSeconds(1)) < 0 || period.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("a rate limit's period must be between 1 s and 1 day, was " + period);
        }
        if (burst < 1 || burst > 1_000_000_000L) {
            throw new IllegalArgumentException("a rate limit's burst must be between 1 and 1000000000, was " + burst);
        }
        if (key == null) {
            throw new IllegalArgumentException("a rate limit needs a key: address, header:NAME, route or all");
        }
    }

    /**
     * Parses {@code AMOUNT/PERIOD[,key=KEY][,burst=N]}.
     *
     * @throws IllegalArgumentException naming the part at fault and the forms accepted
     */
    public static RateLimit parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a rate limit must be " + FORMS + ", was empty");
        }
        String[] parts = text.strip().split(",", -1);
        int slash = parts[0].indexOf('/');
        if (slash < 0) {
            throw bad(text, "no '/' between the amount and the period");
        }
        long amount = number(text, "amount", parts[0].substring(0, slash).strip());
        Duration period = switch (parts[0].substring(slash + 1).strip().toLowerCase(Locale.ROOT)) {
            case "s", "sec", "second" -> Duration.ofSeconds(1);
            case "m", "min", "minute" -> Duration.ofMinutes(1);
            case "h", "hour" -> Duration.ofHours(1);
            default -> throw bad(text, "the period must be s, min or h");
        };
        Key key = new Key.Address();
        Long burst = null;
        boolean keyGiven = false;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.startsWith("key=") && !keyGiven) {
                key = Key.parse(text, part.substring(4).strip());
                keyGiven = true;
            } else if (part.startsWith("burst=") && burst == null) {
                burst = number(text, "burst", part.substring(6).strip());
            } else {
                throw bad(text, "'" + part + "' is not key=... or burst=N (each at most once)");
            }
        }
        try {
            return new RateLimit(amount, period, burst == null ? amount : burst, key);
        } catch (IllegalArgumentException e) {
            throw bad(text, e.getMessage());
        }
    }

    private static long number(String text, String what, String digits) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            throw bad(text, "the " + what + " must be a whole number, was '" + digits + "'");
        }
        return Long.parseLong(digits);
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("a rate limit must be " + FORMS + "; '" + text.strip() + "': " + why);
    }

    /** Tokens refilled per second. */
    public double perSecond() {
        return amount * 1e9 / period.toNanos();
    }

    /** The window of {@code RateLimit-Policy}, in seconds. */
    long windowSeconds() {
        return period.toSeconds();
    }

    /** The form {@link #parse} takes. */
    @Override
    public String toString() {
        String unit = period.equals(Duration.ofSeconds(1)) ? "s" : period.equals(Duration.ofMinutes(1)) ? "min"
                : period.equals(Duration.ofHours(1)) ? "h" : period.toSeconds() + "s";
        return amount + "/" + unit + ",key=" + key.id() + (burst == amount ? "" : ",burst=" + burst);
    }

    /** What a request's bucket is chosen by. */
    public sealed interface Key {
        /** The bucket's key for a request from {@code address}, with {@code header} its headers' values, on {@code route}. */
        String of(String address, Function<String, String> header, String route);

        /** The form {@link RateLimit#parse} takes. */
        String id();

        record Address() implements Key {
            @Override
            public String of(String address, Function<String, String> header, String route) {
                return address;
            }

            @Override
            public String id() {
                return "address";
            }
        }

        /** A request without the header is keyed by its address (prefixed, so that no header value can pose as one). */
        record Header(String name) implements Key {
            @Override
            public String of(String address, Function<String, String> header, String route) {
                String value = header.apply(name);
                return value == null || value.isEmpty() ? "@" + address : "=" + value;
            }

            @Override
            public String id() {
                return "header:" + name;
            }
        }

        record Route() implements Key {
            @Override
            public String of(String address, Function<String, String> header, String route) {
                return route;
            }

            @Override
            public String id() {
                return "route";
            }
        }

        record All() implements Key {
            @Override
            public String of(String address, Function<String, String> header, String route) {
                return "";
            }

            @Override
            public String id() {
                return "all";
            }
        }

        private static Key parse(String text, String form) {
            switch (form) {
                case "address" -> {
                    return new Address();
                }
                case "route" -> {
                    return new Route();
                }
                case "all" -> {
                    return new All();
                }
                default -> {
                    String name = form.startsWith("header:") ? form.substring(7).strip() : "";
                    if (!name.isEmpty() && name.chars().allMatch(c -> c > ' ' && c < 127 && c != ':' && c != ',' && c != ';')) {
                        return new Header(name);
                    }
                    throw bad(text, "the key must be address, header:NAME, route or all, was '" + form + "'");
                }
            }
        }
    }
}
