package dev.headroom.shop.seed;

/**
 * Receives progress while {@link Seeder#seed} loads a table.
 *
 * <p>For each table ({@code users}, {@code products}, {@code orders}, {@code order_items}) it is
 * called at most about 10 times a second while rows stream in, with {@code done < total}, and
 * then exactly once with {@code done == total} after the table's rows are committed. Tables load
 * on two threads, so calls for different tables may come concurrently from different threads:
 * implementations must be thread-safe. Calls for one table come from one thread, with
 * non-decreasing {@code done}. An exception thrown here aborts the seeding.
 */
@FunctionalInterface
public interface SeedProgress {

    /** Ignores all progress. */
    SeedProgress NONE = (table, done, total) -> { };

    /**
     * @param table the table being loaded
     * @param done  rows sent so far
     * @param total rows this table will have
     */
    void update(String table, long done, long total);
}
