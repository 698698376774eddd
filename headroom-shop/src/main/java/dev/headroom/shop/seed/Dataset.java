package dev.headroom.shop.seed;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Everything the row generators share for one {@link SeedSpec}, computed once before loading:
 * product prices (order items copy them), the popularity ranks of users and products (seeded
 * permutations of the ids) with their Zipf samplers, and the exact number of order items.
 *
 * <p>Every random choice comes from a {@link SplitMix64} stream keyed by the spec's seed and a
 * per-purpose tag, so each table can be regenerated on its own, on any thread, in any order: the
 * orders loader and the items loader each replay the same order stream in parallel without
 * talking to each other. Floating-point steps use only the basic operations, {@code sqrt} and
 * {@link StrictMath}, whose results Java specifies bit for bit (unlike {@code Math.pow},
 * {@code Math.log} and friends, which may differ by an ulp between JVMs and CPUs).
 *
 * <p>Immutable after construction; safe to share between the loader threads.
 */
final class Dataset {

    /** Users sign up over the two years before the orders window. */
    static final long USERS_FROM = micros("2022-11-01T00:00:00Z");
    /** Products are listed over the three years before the orders window. */
    static final long PRODUCTS_FROM = micros("2021-11-01T00:00:00Z");
    /** Orders are placed in [ORDERS_FROM, ORDERS_TO); everything else is created before ORDERS_FROM. */
    static final long ORDERS_FROM = micros("2024-11-01T00:00:00Z");
    static final long ORDERS_TO = micros("2026-11-01T00:00:00Z");

    /** Order volume grows linearly over the window: the last day has 1 + ORDER_GROWTH times the first day's rate. */
    static final double ORDER_GROWTH = 1.0;
    /** Sign-ups grow too, more slowly. */
    static final double USER_GROWTH = 0.5;

    /**
     * User popularity: Zipf–Mandelbrot, weight of rank r (from 0) is 1 / (r + 1 + shift)^exponent.
     * A pure Zipf (shift 0) gives the top user 8 % of all orders (83K of 1M over 100K users),
     * which no real shop has; shift 10 flattens only the head: the top user gets about 1 % (10^4
     * orders of 1M), the top 1 % of users about half of all orders, the median user 2.
     */
    static final double USER_EXPONENT = 1.0;
    static final double USER_SHIFT = 10.0;
    /** Product popularity: pure Zipf, exponent 0.9 (the top product is in about 6 % of orders). */
    static final double PRODUCT_EXPONENT = 0.9;
    static final double PRODUCT_SHIFT = 0.0;

    static final int MAX_ITEMS = 6;

    // Stream tags: one independent random stream per purpose.
    static final long USERS = 1;
    static final long PRODUCTS = 2;
    static final long USER_RANKS = 3;
    static final long PRODUCT_RANKS = 4;
    static final long ORDERS = 5;
    static final long ITEM_COUNTS = 6;
    static final long ITEMS = 7;

    /** Items per order, 1..6, skewed toward 1-2: 35/25/16/11/8/5 %, mean 2.47. */
    private static final byte[] ITEM_COUNT_BY_PERCENT = percentTable(35, 25, 16, 11, 8, 5);

    final SeedSpec spec;
    /** {@code prices[id - 1]} is the price of product {@code id} in cents. */
    final long[] prices;
    /** {@code userByRank[r]} is the id of the r-th most active user. */
    final int[] userByRank;
    /** {@code productByRank[r]} is the id of the r-th best-selling product. */
    final int[] productByRank;
    final ZipfSampler userRanks;
    final ZipfSampler productRanks;
    /** The exact number of order items the spec generates. */
    final long items;

    private Dataset(SeedSpec spec) {
        this.spec = spec;
        int users = Math.toIntExact(spec.users());
        int products = Math.toIntExact(spec.products());
        prices = new long[products];
        ProductRows catalog = new ProductRows(spec);
        for (int i = 0; i < products; i++) {
            catalog.next();
            prices[i] = catalog.priceCents;
        }
        userByRank = SplitMix64.permutation(users, SplitMix64.stream(spec.seed(), USER_RANKS));
        productByRank = SplitMix64.permutation(products, SplitMix64.stream(spec.seed(), PRODUCT_RANKS));
        userRanks = new ZipfSampler(users, USER_EXPONENT, USER_SHIFT);
        productRanks = new ZipfSampler(products, PRODUCT_EXPONENT, PRODUCT_SHIFT);
        SplitMix64 counts = SplitMix64.stream(spec.seed(), ITEM_COUNTS);
        long n = 0;
        for (long i = 0; i < spec.orders(); i++) {
            n += itemCount(counts, products);
        }
        items = n;
    }

    static Dataset of(SeedSpec spec) {
        return new Dataset(spec);
    }

    /** The next order's item count, never more than there are products (items are distinct). */
    static int itemCount(SplitMix64 counts, int products) {
        return Math.min(ITEM_COUNT_BY_PERCENT[counts.nextInt(100)], products);
    }

    /**
     * The creation time of row {@code index} of {@code count}: spread over [from, to) so that the
     * rate grows linearly by the factor {@code 1 + growth}, with the row placed at a random point
     * of its own slot. Slots do not overlap, so times rise with the index; callers still take the
     * maximum with the previous time to make that exact despite rounding.
     */
    static long spread(long index, long count, double jitter, long from, long to, double growth) {
        double y = (index + jitter) / count;
        // Inverse of the CDF F(x) = (x + g x^2 / 2) / (1 + g / 2) of the density 1 + g x on [0, 1).
        double x = growth == 0 ? y : (Math.sqrt(1 + y * growth * (2 + growth)) - 1) / growth;
        long t = from + (long) (x * (to - from));
        return Math.min(Math.max(t, from), to - 1);
    }

    private static long micros(String instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
    }

    /** A table that maps a uniform 0..99 to the values 1..n with the given percentages. */
    static byte[] percentTable(int... percentByValue) {
        byte[] t = new byte[100];
        int i = 0;
        for (int v = 0; v < percentByValue.length; v++) {
            for (int k = 0; k < percentByValue[v]; k++) {
                t[i++] = (byte) (v + 1);
            }
        }
        if (i != 100) {
            throw new IllegalStateException("percentages must add up to 100, was " + i);
        }
        return t;
    }
}
