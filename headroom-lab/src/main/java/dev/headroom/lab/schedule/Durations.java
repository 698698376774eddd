package dev.headroom.lab.schedule;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses (and writes) durations the way people type them: {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1m30s}, {@code 1h}; a bare number is seconds. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, like 30s");
        }
        String t = text.trim();
        if (t.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofNanos(Math.round(Double.parseDouble(t) * 1e9));
        }
        Matcher m = PART.matcher(t);
        long nanos = 0;
        int at = 0;
        while (m.find() && m.start() == at) {
            double v = Double.parseDouble(m.group(1));
            nanos += Math.round(v * switch (m.group(2)) {
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            });
            at = m.end();
        }
        if (at != t.length() || at == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 500ms, 30s, 2m, 1m30s");
        }
        return Duration.ofNanos(nanos);
    }

    /** A duration as {@link #parse} reads it, in the largest whole unit: {@code 2s}, {@code 500ms}, {@code 250us}. */
    public static String text(Duration d) {
        long nanos = d.toNanos();
        return nanos % 1_000_000_000 == 0 ? nanos / 1_000_000_000 + "s"
                : nanos % 1_000_000 == 0 ? nanos / 1_000_000 + "ms" : nanos / 1000 + "us";
    }
}
