package dev.headroom.lab.plan;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The planner's values as typed on the command line, parsed strictly: a bad one fails with a message that names
 * its flag, says what it must be and echoes what it was. Factors are {@code 2x} or {@code 2} (at least 1),
 * percentages carry their {@code %} ({@code 50%}, {@code 99.9%}), counts and rates are plain decimal numbers.
 */
public final class PlanValues {
    private PlanValues() {
    }

    /**
     * A positive decimal number ({@code 500}, {@code 12.5}).
     *
     * @throws IllegalArgumentException naming {@code flag} when {@code text} is not a number above 0
     */
    public static BigDecimal positive(String flag, String text) {
        BigDecimal n = number(text);
        if (n == null || n.signum() <= 0) {
            throw new IllegalArgumentException(flag + " must be a number above 0, was '" + text + "'");
        }
        return n;
    }

    /**
     * A whole number of at least {@code min} ({@code 100000}).
     *
     * @throws IllegalArgumentException naming {@code flag} when {@code text} is not one, or is above {@link Long#MAX_VALUE}
     */
    public static long whole(String flag, String text, long min) {
        return whole(flag, text, min, Long.MAX_VALUE);
    }

    /**
     * A whole number from {@code min} to {@code max}.
     *
     * @throws IllegalArgumentException naming {@code flag} when {@code text} is not one
     */
    public static long whole(String flag, String text, long min, long max) {
        BigDecimal n = number(text);
        if (n == null || n.stripTrailingZeros().scale() > 0 || n.compareTo(BigDecimal.valueOf(min)) < 0) {
            throw new IllegalArgumentException(flag + " must be a whole number of at least " + min + ", was '" + text + "'");
        }
        if (n.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new IllegalArgumentException(flag + " must be a whole number of at most " + max + ", was '" + text + "'");
        }
        return n.longValueExact();
    }

    /**
     * A factor of at least 1: {@code 2x}, {@code 1.5x} or {@code 2}.
     *
     * @throws IllegalArgumentException naming {@code flag} otherwise ({@code 200%} and {@code 0.5x} included)
     */
    public static BigDecimal factor(String flag, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        BigDecimal n = number(t.endsWith("x") ? t.substring(0, t.length() - 1) : t);
        if (n == null || n.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException(flag + " must be a factor of at least 1, like 2x, was '" + text + "'");
        }
        return n;
    }

    /**
     * A percentage with its sign, {@code 50%}, at least 0: the number before the {@code %}.
     *
     * @throws IllegalArgumentException naming {@code flag} when the {@code %} is missing or the number is negative
     */
    public static BigDecimal percent(String flag, String text) {
        String t = text.strip();
        BigDecimal n = t.endsWith("%") ? number(t.substring(0, t.length() - 1)) : null;
        if (n == null || n.signum() < 0) {
            throw new IllegalArgumentException(flag + " must be a percentage of at least 0, like 50%, was '" + text + "'");
        }
        return n;
    }

    /**
     * An availability, {@code 99.9%}: above 0 and below 100 percent.
     *
     * @throws IllegalArgumentException naming {@code flag} otherwise
     */
    public static BigDecimal availability(String flag, String text) {
        String t = text.strip();
        BigDecimal n = t.endsWith("%") ? number(t.substring(0, t.length() - 1)) : null;
        if (n == null || n.signum() <= 0 || n.compareTo(ErrorBudget.HUNDRED) >= 0) {
            throw new IllegalArgumentException(flag + " must be a percentage above 0 and below 100, like 99.9%, was '" + text + "'");
        }
        return n;
    }

    /** A plain decimal number, or null: no sign other than '-', no exponent, no NaN or infinity. */
    private static BigDecimal number(String text) {
        String t = text.strip();
        if (!t.matches("-?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            return null;
        }
        return new BigDecimal(t);
    }
}
