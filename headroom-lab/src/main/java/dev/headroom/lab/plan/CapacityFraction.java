package dev.headroom.lab.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.Objects;

/**
 * A non-negative rate carried exactly, as a numerator over a denominator, so that the planner rounds once, when it
 * shows or counts, and never in between: 100,000 users × 10 requests/min / 60 stays 1,000,000/60, and three times it
 * is exactly 50,000 (a decimal 16,666.67 carried on would make it 50,000.01 and one instance more).
 */
record CapacityFraction(BigDecimal numerator, BigDecimal denominator) implements Comparable<CapacityFraction> {
    CapacityFraction {
        Objects.requireNonNull(numerator, "numerator");
        Objects.requireNonNull(denominator, "denominator");
        if (numerator.signum() < 0 || denominator.signum() <= 0) {
            throw new IllegalArgumentException("a rate must be at least 0 over a positive denominator, was " + numerator + "/" + denominator);
        }
    }

    static CapacityFraction of(BigDecimal value) {
        return new CapacityFraction(value, BigDecimal.ONE);
    }

    CapacityFraction times(BigDecimal factor) {
        return new CapacityFraction(numerator.multiply(factor), denominator);
    }

    CapacityFraction dividedBy(BigDecimal divisor) {
        return new CapacityFraction(numerator, denominator.multiply(divisor));
    }

    /** The smallest whole number at or above this value. */
    BigInteger ceil() {
        return numerator.divide(denominator, 0, RoundingMode.CEILING).toBigIntegerExact();
    }

    /** This value to {@code scale} decimals, half up. */
    BigDecimal rounded(int scale) {
        return numerator.divide(denominator, scale, RoundingMode.HALF_UP);
    }

    double doubleValue() {
        return rounded(12).doubleValue();
    }

    boolean isZero() {
        return numerator.signum() == 0;
    }

    @Override
    public int compareTo(CapacityFraction o) {
        return numerator.multiply(o.denominator).compareTo(o.numerator.multiply(denominator));
    }

    static CapacityFraction max(CapacityFraction a, CapacityFraction b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** A rate as a result: rounded up to a whole request per second, {@code 16,667}. */
    String up() {
        return whole(ceil());
    }

    /** A rate as an operand or a measured figure: at most 2 decimals, half up, {@code 16,666.67}. */
    String operand() {
        return decimal(rounded(2));
    }

    static String whole(BigInteger n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 1 connection}, {@code 150 instances}. */
    static String count(BigInteger n, String unit) {
        return whole(n) + " " + unit + (n.equals(BigInteger.ONE) ? "" : "s");
    }

    static String whole(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A given number as it was given (at most 6 decimals, trailing zeros dropped), grouped: {@code 1.5}, {@code 100,000}. */
    static String decimal(BigDecimal n) {
        DecimalFormat f = new DecimalFormat("#,##0.######", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_UP);
        return f.format(n);
    }
}
