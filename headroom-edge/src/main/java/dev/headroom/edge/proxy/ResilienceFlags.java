package dev.headroom.edge.proxy;

import dev.headroom.edge.admission.AdmissionController;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The text forms of the retry budget, hedging, circuit breaker and concurrency limit settings, as the CLI's flags and the lab's edge
 * process give them: {@code 10%[,min=3]} or {@code off}; {@code p97[,max=5%]}; {@code 50%[,open=10s]}. Each error
 * says what the form is.
 */
public final class ResilienceFlags {
    private ResilienceFlags() {
    }

    /** {@code RATIO%[,min=N]}, e.g. {@code 20%,min=3}; {@code off} for naive retries (no budget). */
    public static EdgeConfig.Builder retryBudget(EdgeConfig.Builder b, String text) {
        String form = "the retry budget must be PERCENT%[,min=N] (e.g. 20%,min=3) or off, was '" + text + "'";
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("off")) {
            return b.noRetryBudget();
        }
        String[] parts = t.split(",", -1);
        int min = dev.headroom.edge.retry.RetryBudget.DEFAULT_MIN_RETRY_CONCURRENCY;
        if (parts.length > 2) {
            throw new IllegalArgumentException(form);
        }
        if (parts.length == 2) {
            min = (int) number(after(parts[1], "min=", form), form);
        }
        return b.retryBudget(percent(parts[0], form), min);
    }

    /** {@code pNN[,max=PERCENT%]}, e.g. {@code p97,max=5%}; {@code off} for none. */
    public static EdgeConfig.Builder hedging(EdgeConfig.Builder b, String text) {
        String form = "hedging must be pNN[,max=PERCENT%] (e.g. p97,max=5%) or off, was '" + text + "'";
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("off")) {
            return b;
        }
        String[] parts = t.split(",", -1);
        if (parts.length > 2 || !parts[0].startsWith("p")) {
            throw new IllegalArgumentException(form);
        }
        String digits = parts[0].substring(1);
        double percentile = number(digits, form) / Math.pow(10, digits.length());
        double max = parts.length == 2 ? percent(after(parts[1], "max=", form), form) : dev.headroom.edge.hedge.Hedger.DEFAULT_MAX_EXTRA_RATIO;
        return b.hedging(percentile, max);
    }

    /** {@code PERCENT%[,open=DURATION]}, e.g. {@code 50%,open=10s} (durations in ms or s). */
    public static EdgeConfig.Builder circuitBreaker(EdgeConfig.Builder b, String text) {
        String form = "the circuit breaker must be PERCENT%[,open=DURATION] (e.g. 50%,open=10s), was '" + text + "'";
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split(",", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException(form);
        }
        Duration open = Duration.ofSeconds(10);
        if (parts.length == 2) {
            String d = after(parts[1], "open=", form);
            open = d.endsWith("ms") ? Duration.ofMillis(number(d.substring(0, d.length() - 2), form))
                    : d.endsWith("s") ? Duration.ofSeconds(number(d.substring(0, d.length() - 1), form)) : null;
            if (open == null) {
                throw new IllegalArgumentException(form);
            }
        }
        return b.circuitBreaker((int) Math.round(percent(parts[0], form) * 100), open);
    }

    /**
     * {@code adaptive[,min=N][,max=N][,critical=/a|/b][,sheddable=/c]}, e.g. {@code adaptive,min=8,critical=/orders,sheddable=/products};
     * {@code off} for none.
     */
    public static EdgeConfig.Builder concurrencyLimit(EdgeConfig.Builder b, String text) {
        String form = "the concurrency limit must be adaptive[,min=N][,max=N][,critical=PREFIX|PREFIX][,sheddable=PREFIX|PREFIX]"
                + " (e.g. adaptive,critical=/orders,sheddable=/products) or off, was '" + text + "'";
        String[] parts = text.strip().split(",", -1);
        if (parts[0].equalsIgnoreCase("off") && parts.length == 1) {
            return b;
        }
        if (!parts[0].equalsIgnoreCase("adaptive")) {
            throw new IllegalArgumentException(form);
        }
        int min = AdmissionController.Builder.DEFAULT_MIN_LIMIT;
        int max = AdmissionController.Builder.DEFAULT_MAX_LIMIT;
        List<String> critical = List.of();
        List<String> sheddable = List.of();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.startsWith("min=")) {
                min = (int) number(p.substring(4), form);
            } else if (p.startsWith("max=")) {
                max = (int) number(p.substring(4), form);
            } else if (p.startsWith("critical=")) {
                critical = List.of(p.substring(9).split("\\|", -1));
            } else if (p.startsWith("sheddable=")) {
                sheddable = List.of(p.substring(10).split("\\|", -1));
            } else {
                throw new IllegalArgumentException(form);
            }
        }
        return b.adaptiveConcurrency(min, max, critical, sheddable);
    }

    private static String after(String part, String prefix, String form) {
        if (!part.startsWith(prefix)) {
            throw new IllegalArgumentException(form);
        }
        return part.substring(prefix.length());
    }

    /** {@code NN%} or {@code NN.N%} as a ratio. */
    private static double percent(String text, String form) {
        if (!text.endsWith("%")) {
            throw new IllegalArgumentException(form);
        }
        try {
            return Double.parseDouble(text.substring(0, text.length() - 1)) / 100;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(form);
        }
    }

    private static long number(String text, String form) {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(form);
        }
        return Long.parseLong(text);
    }
}
