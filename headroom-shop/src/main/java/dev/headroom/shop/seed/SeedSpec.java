package dev.headroom.shop.seed;

/**
 * What the data generator loads: how many users, products and orders, and the seed that makes
 * the data reproducible. The same spec gives byte-identical rows on every machine and JDK
 * (see {@link Seeder#GENERATOR_VERSION}).
 *
 * <p>Order items are not part of the spec: each order gets 1..6 of them (2.47 on average), so the
 * default spec loads about 2.5M items.
 *
 * @param users    number of users, ids {@code 1..users}; at least 1, at most {@value #MAX_USERS}
 * @param products number of products, ids {@code 1..products}; at least 1, at most
 *                 {@value #MAX_PRODUCTS}
 * @param orders   number of orders, ids {@code 1..orders}; at least 0
 * @param seed     any value; different seeds give different data
 */
public record SeedSpec(long users, long products, long orders, long seed) {

    /** The dataset of the demo and the labs: 100K users, 10K products, 1M orders, seed 42. */
    public static final SeedSpec DEFAULT = new SeedSpec(100_000, 10_000, 1_000_000, 42);

    /** Upper bound on {@link #users()}: the generator keeps about 16 bytes per user in memory. */
    public static final long MAX_USERS = 10_000_000;

    /** Upper bound on {@link #products()}: the generator keeps about 24 bytes per product in memory. */
    public static final long MAX_PRODUCTS = 10_000_000;

    /**
     * @throws IllegalArgumentException if a count is out of range, with a message naming it
     *                                  and the bad value
     */
    public SeedSpec {
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1, was " + users);
        }
        if (users > MAX_USERS) {
            throw new IllegalArgumentException("users must be at most " + MAX_USERS + ", was " + users);
        }
        if (products < 1) {
            throw new IllegalArgumentException("products must be at least 1, was " + products);
        }
        if (products > MAX_PRODUCTS) {
            throw new IllegalArgumentException(
                    "products must be at most " + MAX_PRODUCTS + ", was " + products);
        }
        if (orders < 0) {
            throw new IllegalArgumentException("orders must be at least 0, was " + orders);
        }
    }
}
