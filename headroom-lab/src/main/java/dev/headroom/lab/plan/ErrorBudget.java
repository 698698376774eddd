package dev.headroom.lab.plan;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Objects;

/**
 * The downtime an availability target allows: {@code (100 % - availability) × the period}, over an average month
 * of 365.25 / 12 days (43,830 minutes) and an average year of 365.25 days (525,960 minutes). 99.9 % allows
 * 43.8 minutes a month, 99.95 % 21.9 and 99.99 % 4.4 (shown to 0.1 minute, half up; the JSON carries them exact).
 *
 * @param availabilityPercent above 0 and below 100, e.g. {@code 99.9}
 */
public record ErrorBudget(BigDecimal availabilityPercent) {
    static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** 365.25 days / 12 × 1,440 minutes. */
    public static final BigDecimal MINUTES_PER_MONTH = BigDecimal.valueOf(43_830);
    /** 365.25 days × 1,440 minutes. */
    public static final BigDecimal MINUTES_PER_YEAR = BigDecimal.valueOf(525_960);

    /** @throws IllegalArgumentException unless the availability is above 0 and below 100 percent */
    public ErrorBudget {
        Objects.requireNonNull(availabilityPercent, "--availability must not be null");
        if (availabilityPercent.signum() <= 0 || availabilityPercent.compareTo(HUNDRED) >= 0) {
            throw new IllegalArgumentException("--availability must be above 0 and below 100%, was " + availabilityPercent.toPlainString() + "%");
        }
    }

    /** The downtime allowed, in percent of the time: 0.1 for 99.9. */
    public BigDecimal downtimePercent() {
        return HUNDRED.subtract(availabilityPercent);
    }

    /** Exact: 43.83 for 99.9 %. */
    public BigDecimal minutesPerMonth() {
        return downtimePercent().multiply(MINUTES_PER_MONTH).divide(HUNDRED, MathContext.DECIMAL64);
    }

    /** Exact: 525.96 for 99.9 %. */
    public BigDecimal minutesPerYear() {
        return downtimePercent().multiply(MINUTES_PER_YEAR).divide(HUNDRED, MathContext.DECIMAL64);
    }

    String[] lines() {
        String down = CapacityFraction.decimal(downtimePercent());
        BigDecimal year = minutesPerYear();
        return new String[] {
                String.format(Locale.ROOT, "(100 %% - availability) × 43,830 min/month = (100 %% - %s %%) × 43,830 = %s %% × 43,830 = %s min/month",
                        CapacityFraction.decimal(availabilityPercent), down, tenth(minutesPerMonth())),
                String.format(Locale.ROOT, "%s %% × 525,960 min/year = %s min/year = %s h/year", down, tenth(year),
                        tenth(year.divide(BigDecimal.valueOf(60), MathContext.DECIMAL64)))};
    }

    /** To 0.1, half up, grouped: {@code 43.8}, {@code 526.0}. */
    private static String tenth(BigDecimal n) {
        DecimalFormat f = new DecimalFormat("#,##0.0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(n);
    }
}
