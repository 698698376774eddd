package dev.headroom.analytics.store;

import dev.headroom.analytics.window.WindowAggregate;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.FrequentLongsSketch;
import org.apache.datasketches.kll.KllLongsSketch;
import org.apache.datasketches.kll.KllSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * When two sketch answers agree, by the bounds {@link WindowAggregate} states: distinct users within 3 σ
 * (σ = the HLL's relative standard error), latency quantiles within twice the KLL's rank error (each
 * side may be off by one ε), top products within the sum of both sides' a-priori frequent-items errors.
 */
final class SketchBounds {
    static final double HLL_RSE = 1.04 / Math.sqrt(1 << WindowAggregate.HLL_LG_K);
    static final double KLL_RANK_ERROR = KllSketch.getNormalizedRankError(WindowAggregate.KLL_K, false);
    private static final double[] RANKS = {0.5, 0.9, 0.99};
    private static final int TOP = 10;

    private SketchBounds() {
    }

    /** Whether a distinct-count estimate is within 3 σ of a reference (exact, or another estimate). */
    static boolean distinctAgree(double estimate, double reference) {
        return Math.abs(estimate - reference) <= 3 * HLL_RSE * Math.max(estimate, reference);
    }

    /** What is wrong with {@code a}'s quantiles as ranks in {@code b}, or null when they agree. */
    static String latencyDisagreement(KllLongsSketch a, KllLongsSketch b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() == b.isEmpty() ? null : "latency: one side has no latencies";
        }
        double tolerance = 2 * KLL_RANK_ERROR;
        for (double rank : RANKS) {
            long quantile = a.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
            // Both criteria, so that ties (many equal latencies) do not count as errors.
            double below = b.getRank(quantile, QuantileSearchCriteria.EXCLUSIVE);
            double atOrBelow = b.getRank(quantile, QuantileSearchCriteria.INCLUSIVE);
            if (below > rank + tolerance || atOrBelow < rank - tolerance) {
                return "latency: p" + Math.round(rank * 100) + " " + quantile + " us sits at rank " + below + ".." + atOrBelow
                        + " on the other side (allowed " + rank + " ± " + tolerance + ")";
            }
        }
        return null;
    }

    /** The a-priori error of a frequent-items estimate over a stream of {@code weight} items. */
    static double productsError(long weight) {
        return FrequentLongsSketch.getAprioriError(WindowAggregate.FREQUENT_MAP_SIZE, weight);
    }

    /** What is wrong with {@code a}'s top products' estimates as seen by {@code b}, or null when they agree. */
    static String productsDisagreement(FrequentLongsSketch a, FrequentLongsSketch b) {
        if (a.getStreamLength() != b.getStreamLength()) {
            return "products: " + a.getStreamLength() + " products counted on one side, " + b.getStreamLength() + " on the other";
        }
        double tolerance = productsError(a.getStreamLength()) + productsError(b.getStreamLength());
        FrequentLongsSketch.Row[] rows = a.getFrequentItems(ErrorType.NO_FALSE_NEGATIVES);
        for (int i = 0; i < Math.min(TOP, rows.length); i++) {
            long item = rows[i].getItem();
            long other = b.getEstimate(item);
            if (Math.abs(rows[i].getEstimate() - other) > tolerance) {
                return "products: product " + item + " estimated " + rows[i].getEstimate() + " and " + other
                        + " (allowed ± " + tolerance + ")";
            }
        }
        return null;
    }
}
