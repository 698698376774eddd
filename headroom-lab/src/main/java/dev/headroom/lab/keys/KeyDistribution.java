package dev.headroom.lab.keys;

import java.util.random.RandomGenerator;

/**
 * Which key the next request asks for, over a range {@code [low, high]} of integer keys. Workloads
 * draw keys from these so that a cache sees the skew real traffic has: a few hot keys and a long
 * tail (Zipf), a hot slice (hotspot), or none at all (uniform). Instances are immutable; the caller
 * supplies the random source, so one seed reproduces the whole key sequence.
 */
public interface KeyDistribution {
    long next(RandomGenerator random);

    long low();

    long high();

    /** Each key equally likely. */
    static KeyDistribution uniform(long low, long high) {
        checkRange(low, high);
        return new Uniform(low, high);
    }

    /**
     * Zipf's law: the key of rank k (the k-th key from {@code low}) is drawn with probability
     * proportional to 1/k^s. With s = 0.99 and a million keys, the hottest 1 % of keys take about two
     * thirds of the draws. Sampled in O(1) per draw by rejection-inversion, with no table, so the range may be huge.
     *
     * @param s the exponent, 0 &lt; s ≤ 10; 0.99 is YCSB's usual choice
     */
    static KeyDistribution zipf(long low, long high, double s) {
        checkRange(low, high);
        if (!(s > 0 && s <= 10)) {
            throw new IllegalArgumentException("zipf exponent s must be in (0, 10], was " + s);
        }
        return new Zipf(low, high, s);
    }

    /**
     * A hot slice at the start of the range: a {@code hotRate} share of draws goes, uniformly, to the
     * first {@code hotShare} of the keys; the rest go uniformly to the others (YCSB's "hotspot").
     * {@code hotspot(1, 1000, 0.2, 0.8)} sends 80 % of the draws to keys 1..200.
     */
    static KeyDistribution hotspot(long low, long high, double hotShare, double hotRate) {
        checkRange(low, high);
        if (!(hotShare > 0 && hotShare < 1)) {
            throw new IllegalArgumentException("hotspot hot share must be between 0 and 1 (exclusive), was " + hotShare);
        }
        if (!(hotRate >= 0 && hotRate <= 1)) {
            throw new IllegalArgumentException("hotspot rate must be between 0 and 1, was " + hotRate);
        }
        long hotKeys = Math.max(1, (long) Math.floor((high - low + 1) * hotShare));
        if (hotKeys > high - low) {
            throw new IllegalArgumentException("hotspot needs at least one cold key: range " + low + ".." + high
                    + " with hot share " + hotShare + " leaves none");
        }
        return new Hotspot(low, high, low + hotKeys - 1, hotRate);
    }

    private static void checkRange(long low, long high) {
        if (low > high) {
            throw new IllegalArgumentException("key range must have low <= high, was " + low + ".." + high);
        }
        if (high - low < 0 || high - low == Long.MAX_VALUE) {
            throw new IllegalArgumentException("key range " + low + ".." + high + " is too wide");
        }
    }
}
