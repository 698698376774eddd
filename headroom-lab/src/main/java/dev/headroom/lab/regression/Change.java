package dev.headroom.lab.regression;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * One figure's comparison: the target's and the reference's figure, the change target / reference − 1, its
 * 95 % interval ({@code low}..{@code high}, from the bootstrap) and the threshold (a fraction: 0.10 for 10 %).
 *
 * <p>{@link #line()} is the figure's one line of output, in one of three forms:
 * <pre>
 * regression: p99 +23% (12.1 → 14.9 ms, 95% CI +15..+31%) exceeds 10%
 * ok: p50 +2% (2.0 → 2.04 ms, 95% CI -3..+6%) within 10%
 * ok: p99 +9% (2.0 → 2.18 ms, 95% CI +2..+16%) not shown to exceed 10%
 * </pre>
 * The first when the whole interval lies beyond the threshold (above it for latency, below minus it for
 * throughput): the only outcome that fails the gate. The second when the whole interval is on the good side of it
 * (improvements included). The third when the interval straddles it: the change may be a regression, but the
 * run could not tell it from noise; it passes, and says so. Changes and bounds are whole percents, the figures
 * three significant digits.
 */
public record Change(Figure figure, double target, double reference, double change, double low, double high,
                     double threshold, Outcome outcome) {

    /** Where the interval lies against the threshold. */
    public enum Outcome {
        /** Wholly beyond the threshold: a regression. */
        REGRESSED,
        /** Wholly on the good side of it. */
        WITHIN,
        /** Across it: not shown either way. */
        NOT_SHOWN
    }

    static Change of(Figure figure, double target, double reference, double low, double high, double threshold) {
        Outcome outcome;
        if (figure.higherIsWorse()) {
            outcome = low > threshold ? Outcome.REGRESSED : high <= threshold ? Outcome.WITHIN : Outcome.NOT_SHOWN;
        } else {
            outcome = high < -threshold ? Outcome.REGRESSED : low >= -threshold ? Outcome.WITHIN : Outcome.NOT_SHOWN;
        }
        return new Change(figure, target, reference, target / reference - 1, low, high, threshold, outcome);
    }

    public boolean regressed() {
        return outcome == Outcome.REGRESSED;
    }

    /** The figure's line of output (see the class comment). */
    public String line() {
        String verdict = switch (outcome) {
            case REGRESSED -> "exceeds";
            case WITHIN -> "within";
            case NOT_SHOWN -> "not shown to exceed";
        };
        return String.format(Locale.ROOT, "%s: %s %s%% (%s → %s %s, 95%% CI %s..%s%%) %s %s%%",
                regressed() ? "regression" : "ok", figure.label(), percent(change), figure(reference), figure(target),
                figure.unit(), percent(low), percent(high), verdict, threshold(threshold));
    }

    /** A change as a signed whole percent: {@code +23}, {@code -3}, {@code +0}. */
    static String percent(double fraction) {
        if (Double.isNaN(fraction)) {
            return "?";
        }
        if (Double.isInfinite(fraction)) {
            return fraction > 0 ? "+inf" : "-inf";
        }
        long p = Math.round(100 * fraction);
        return (p >= 0 ? "+" : "") + p;
    }

    /** Three significant digits, no exponent, trailing zeros dropped but one decimal kept below 100: 2.0, 2.04, 12.1, 1520. */
    static String figure(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        String s = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    /** A threshold fraction as a percent without trailing zeros: 0.1 → 10, 0.025 → 2.5. */
    static String threshold(double fraction) {
        return new BigDecimal(fraction * 100).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
