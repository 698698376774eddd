package dev.headroom.shop.seed;

/**
 * SplitMix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number generators", OOPSLA 2014),
 * written out here instead of using {@link java.util.SplittableRandom} so that the generated data
 * depends on no JDK implementation detail: {@code SplittableRandom}'s javadoc does not promise its
 * algorithm, nor how {@code nextInt(bound)} or {@code nextDouble()} derive from it. Everything
 * here is integer arithmetic and exactly specified, so a seed gives the same stream everywhere.
 *
 * <p>Not thread-safe; each generator thread owns its instances.
 */
final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** An independent stream for one purpose ({@code tag}) of one dataset ({@code seed}). */
    static SplitMix64 stream(long seed, long tag) {
        return new SplitMix64(mix64(mix64(seed) + tag));
    }

    /** The SplitMix64 finaliser (a bijection on 64-bit values). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        return mix64(state += GOLDEN_GAMMA);
    }

    /** Uniform in [0, 1), a multiple of 2^-53. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /**
     * Uniform in [0, bound) without bias (Lemire, "Fast random integer generation in an
     * interval", 2019: multiply-shift with rejection of the short first slice).
     */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFF_FFFFL;
        if (low < bound) {
            long threshold = ((1L << 32) - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFF_FFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** A Fisher–Yates shuffle of {@code 1..n}. */
    static int[] permutation(int n, SplitMix64 rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i + 1;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
