package dev.headroom.shop.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the shop's deterministic dataset ({@link SeedSpec}) into PostgreSQL.
 *
 * <p>Loading: rows are generated straight into COPY text chunks of 1 MiB and streamed with
 * pgjdbc's {@code CopyManager}; no row objects are kept. Two connections load in parallel: one
 * does users then orders, the other products then order items (both replay the same order stream,
 * see {@link OrderStream}). To allow that, the three foreign keys between the shop tables are
 * dropped first and re-added at the end, which validates each in one join instead of one lookup
 * per row. Each table loads in its own transaction that truncates it and uses
 * {@code COPY ... (FREEZE)}, so rows arrive frozen: no hint-bit rewrite on first read and no
 * freeze vacuum later; a {@code VACUUM (ANALYZE)} then gathers statistics and marks the remaining
 * pages all-visible, so index-only scans work at once. The load transactions commit with
 * {@code synchronous_commit = off}; the final transaction, which re-adds the last key, moves the
 * identity sequences past the loaded ids and writes {@code seed_info}, commits normally and so
 * flushes all the WAL before it.
 *
 * <p>Crash safety: {@code seed_info} is emptied first and written last, in the same transaction
 * as the last foreign key. A crash in between leaves {@link #isSeeded} false and possibly keys
 * missing; the next {@link #seed} drops them if present and re-adds them.
 *
 * <p>Concurrency: {@code seed} takes a session advisory lock, so seeders on the same database (two
 * nodes starting at once) run one after the other. It uses two connections from the data source
 * at once, whose user must own the shop tables (TRUNCATE, ALTER TABLE, VACUUM). Other sessions
 * should not use the shop tables while it runs. Instances are immutable and thread-safe.
 *
 * <p>Cost, measured on a shared 2-core machine against embedded PostgreSQL 17 with
 * {@code fsync=on} and {@code synchronous_commit=on}: {@link SeedSpec#DEFAULT} (3.58M rows) in
 * 7–11 s (median about 8.5 s), 330K–500K rows/s, when the machine is otherwise quiet. The
 * server is the bottleneck: generating the COPY text alone takes 0.65 s on one thread. Loading on
 * one connection instead of two took 12–13 s.
 */
public final class Seeder {

    /**
     * The version of the generated data. Bump it whenever any generated value changes (word lists,
     * distributions, streams), so that {@link #isSeeded} stops accepting older data.
     */
    public static final int GENERATOR_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(Seeder.class);

    /** Advisory-lock key: "HdrmSeed" in ASCII. */
    private static final long LOCK_KEY = 0x4864_726D_5365_6564L;

    /** Progress is reported at most this often per table. */
    private static final long PROGRESS_INTERVAL_NANOS = 100_000_000L;

    /** The foreign keys between the shop tables, exactly as the V1 migration creates them. */
    private static final ForeignKey ORDERS_USER =
            new ForeignKey("orders", "orders_user_id_fkey", "user_id", "users");
    private static final ForeignKey ITEMS_ORDER =
            new ForeignKey("order_items", "order_items_order_id_fkey", "order_id", "orders");
    private static final ForeignKey ITEMS_PRODUCT =
            new ForeignKey("order_items", "order_items_product_id_fkey", "product_id", "products");

    private final DataSource dataSource;

    /** @param dataSource the shop database, migrated; {@link #seed} needs two connections at once */
    public Seeder(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * True when {@code seed_info} already holds exactly this spec and {@link #GENERATOR_VERSION},
     * so a restart can reuse the data.
     */
    public boolean isSeeded(SeedSpec spec) throws SQLException {
        Objects.requireNonNull(spec, "spec");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT users, products, orders, seed, generator FROM seed_info");
             ResultSet rs = ps.executeQuery()) {
            return rs.next()
                    && rs.getLong(1) == spec.users()
                    && rs.getLong(2) == spec.products()
                    && rs.getLong(3) == spec.orders()
                    && rs.getLong(4) == spec.seed()
                    && rs.getInt(5) == GENERATOR_VERSION;
        }
    }

    /**
     * Empties the shop tables ({@code TRUNCATE ... RESTART IDENTITY CASCADE}), loads the data of
     * {@code spec}, sets the identity sequences past the loaded ids, vacuums and analyzes the
     * tables, and writes {@code seed_info}. Safe to re-run after a crash part-way:
     * {@code seed_info} is written last.
     *
     * @param progress told about each table's progress, see {@link SeedProgress}
     * @throws SQLException if the database fails; the data is then incomplete and
     *                      {@link #isSeeded} false for every spec
     */
    public void seed(SeedSpec spec, SeedProgress progress) throws SQLException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(progress, "progress");
        long start = System.nanoTime();
        Dataset data = Dataset.of(spec);
        long prepared = System.nanoTime();
        AtomicBoolean abort = new AtomicBoolean();
        try (Connection first = dataSource.getConnection()) {
            first.setAutoCommit(true); // a pool may hand out connections with autocommit off
            lock(first);
            Exception failure = null;
            try {
                prepare(first);
                try (Connection second = dataSource.getConnection()) {
                    second.setAutoCommit(true);
                    inParallel(abort, () -> {
                        load(first, usersTable(data), progress, abort);
                        load(first, ordersTable(data), progress, abort);
                        analyze(first, "users", "orders");
                        addForeignKey(first, ORDERS_USER);
                    }, () -> {
                        load(second, productsTable(data), progress, abort);
                        load(second, itemsTable(data), progress, abort);
                        analyze(second, "products", "order_items");
                        addForeignKey(second, ITEMS_PRODUCT);
                    });
                }
                finish(first, spec);
            } catch (SQLException | RuntimeException e) {
                failure = e;
                throw e;
            } finally {
                unlock(first, failure);
            }
        }
        long end = System.nanoTime();
        LOG.info("Seeded users={} products={} orders={} items={} seed={} in {} ms (generator setup {} ms)",
                spec.users(), spec.products(), spec.orders(), data.items, spec.seed(),
                (end - start) / 1_000_000, (prepared - start) / 1_000_000);
    }

    // ---- steps ----

    /** Empties everything and drops the keys between the shop tables, in one committed transaction. */
    private static void prepare(Connection c) throws SQLException {
        inTransaction(c, () -> {
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE users, products, orders, order_items, idempotency_keys, seed_info "
                        + "RESTART IDENTITY CASCADE");
                for (ForeignKey fk : new ForeignKey[] {ORDERS_USER, ITEMS_ORDER, ITEMS_PRODUCT}) {
                    st.execute("ALTER TABLE " + fk.table + " DROP CONSTRAINT IF EXISTS " + fk.name);
                }
            }
        });
    }

    /**
     * Adds the last key, moves the sequences past the loaded ids and records the spec, in one
     * transaction with a normal (synchronous) commit.
     */
    private static void finish(Connection c, SeedSpec spec) throws SQLException {
        inTransaction(c, () -> {
            try (Statement st = c.createStatement()) {
                st.execute(ITEMS_ORDER.addSql());
                for (String table : new String[] {"users", "products", "orders", "order_items"}) {
                    st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                            + "coalesce(max(id), 0) + 1, false) FROM " + table);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO seed_info (users, products, orders, seed, generator) VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, spec.users());
                ps.setLong(2, spec.products());
                ps.setLong(3, spec.orders());
                ps.setLong(4, spec.seed());
                ps.setInt(5, GENERATOR_VERSION);
                ps.executeUpdate();
            }
        });
    }

    /**
     * {@code VACUUM (ANALYZE)}: the statistics, plus the visibility-map bits COPY FREEZE leaves
     * unset (it marks only pages a batch started empty). It skips the pages already all-visible,
     * so it costs about what ANALYZE alone does (~0.5 s for 1M orders here).
     */
    private static void analyze(Connection c, String... tables) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM (ANALYZE) " + String.join(", ", tables));
        }
    }

    private static void addForeignKey(Connection c, ForeignKey fk) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(fk.addSql());
        }
    }

    /**
     * Streams one table in its own transaction: truncate (which makes COPY FREEZE legal), COPY,
     * commit, then one progress call at 100 %.
     */
    private static void load(Connection c, Table table, SeedProgress progress, AtomicBoolean abort)
            throws SQLException {
        checkAbort(abort);
        inTransaction(c, () -> {
            try (Statement st = c.createStatement()) {
                st.execute("SET LOCAL synchronous_commit = off");
                st.execute("TRUNCATE " + table.name + " CASCADE");
            }
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "COPY " + table.name + " (" + table.columns + ") FROM STDIN (FREEZE)");
            try {
                copy(in, table, progress, abort);
            } catch (SQLException | RuntimeException e) {
                if (in.isActive()) {
                    try {
                        in.cancelCopy();
                    } catch (SQLException cancel) {
                        e.addSuppressed(cancel);
                    }
                }
                throw e;
            }
        });
        progress.update(table.name, table.rows, table.rows);
    }

    private static void copy(CopyIn in, Table table, SeedProgress progress, AtomicBoolean abort)
            throws SQLException {
        RowBuffer out = new RowBuffer((bytes, length) -> {
            checkAbort(abort);
            in.writeToCopy(bytes, 0, length);
        });
        long total = table.rows;
        long nextReport = System.nanoTime() + PROGRESS_INTERVAL_NANOS;
        for (long step = 0; step < table.steps; step++) {
            table.writer.writeNext(out);
            // Look at the clock only every 4096 steps: the loop runs millions of times a second.
            if ((step & 4095) == 4095) {
                long now = System.nanoTime();
                if (now - nextReport >= 0 && out.rows() < total) {
                    progress.update(table.name, out.rows(), total);
                    nextReport = now + PROGRESS_INTERVAL_NANOS;
                }
            }
        }
        out.flush();
        long copied = in.endCopy();
        if (copied != total) {
            throw new SQLException("COPY " + table.name + " loaded " + copied + " rows, expected " + total);
        }
    }

    // ---- tables ----

    private static Table usersTable(Dataset data) {
        UserRows rows = new UserRows(data.spec);
        return new Table("users", "id, email, name, created_at, updated_at",
                data.spec.users(), data.spec.users(), rows::writeNext);
    }

    private static Table productsTable(Dataset data) {
        ProductRows rows = new ProductRows(data.spec);
        return new Table("products", "id, name, category, price_cents, description, created_at",
                data.spec.products(), data.spec.products(), rows::writeNext);
    }

    private static Table ordersTable(Dataset data) {
        OrderStream orders = new OrderStream(data);
        return new Table("orders", "id, user_id, status, created_at, item_count, total_cents",
                data.spec.orders(), data.spec.orders(), out -> {
                    orders.next();
                    orders.writeOrder(out);
                });
    }

    private static Table itemsTable(Dataset data) {
        OrderStream orders = new OrderStream(data);
        return new Table("order_items", "id, order_id, product_id, quantity, unit_price_cents",
                data.items, data.spec.orders(), out -> {
                    orders.next();
                    orders.writeItems(out);
                });
    }

    /** One step writes the next row (or, for items, the next order's rows). */
    @FunctionalInterface
    private interface StepWriter {
        void writeNext(RowBuffer out) throws SQLException;
    }

    private record Table(String name, String columns, long rows, long steps, StepWriter writer) {
    }

    private record ForeignKey(String table, String name, String column, String references) {
        String addSql() {
            return "ALTER TABLE " + table + " ADD CONSTRAINT " + name
                    + " FOREIGN KEY (" + column + ") REFERENCES " + references + " (id)";
        }
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface SqlTask {
        void run() throws SQLException;
    }

    /** Thrown by a loader when the other one failed; never the primary failure. */
    private static final class Aborted extends SQLException {
        private static final long serialVersionUID = 1L;

        Aborted() {
            super("seeding aborted: the other loader failed");
        }
    }

    private static void checkAbort(AtomicBoolean abort) throws SQLException {
        if (abort.get()) {
            throw new Aborted();
        }
    }

    /**
     * Runs {@code first} on the calling thread and {@code second} on a new one; when either fails
     * the other stops at its next chunk. Waits for both, then throws the first real failure.
     */
    private static void inParallel(AtomicBoolean abort, SqlTask first, SqlTask second) throws SQLException {
        FutureTask<Void> other = new FutureTask<>(() -> {
            try {
                second.run();
                return null;
            } catch (SQLException | RuntimeException | Error e) {
                abort.set(true);
                throw e;
            }
        });
        Thread.ofPlatform().name("headroom-seed-loader").daemon(true).start(other);
        Throwable failure = null;
        try {
            first.run();
        } catch (SQLException | RuntimeException | Error e) {
            abort.set(true);
            failure = e;
        }
        boolean interrupted = false;
        while (true) {
            try {
                other.get();
                break;
            } catch (InterruptedException e) {
                // The other thread uses a connection we close when we return: wait for it.
                interrupted = true;
                abort.set(true);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (failure == null || failure instanceof Aborted) {
                    if (failure != null) {
                        cause.addSuppressed(failure);
                    }
                    failure = cause;
                } else if (!(cause instanceof Aborted)) {
                    failure.addSuppressed(cause);
                }
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof SQLException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Runs {@code task} in a transaction on {@code c}; rolls back if it throws. */
    private static void inTransaction(Connection c, SqlTask task) throws SQLException {
        c.setAutoCommit(false);
        Exception failure = null;
        try {
            task.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            failure = e;
            rollback(c, e);
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    /** Releases the lock; if {@code failure} is set, a failure to unlock is only added to it. */
    private static void unlock(Connection c, Exception failure) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
    }
}
