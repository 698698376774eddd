package dev.headroom.shop.seed;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Run by hand, not by the build: seeds a spec (default {@link SeedSpec#DEFAULT}) into a fresh
 * embedded PostgreSQL with {@code fsync=on} and {@code synchronous_commit=on}, and prints the time,
 * rows/s and the skew of the data. A timing printout, not a benchmark: expect ±15 % run to run.
 *
 * <p>Arguments (optional): {@code users products orders seed [runs]}; {@code -Dfsync=off} and
 * {@code -Dsynchronous_commit=off} show what durability costs. For example:
 * <pre>
 * ./mvnw -q -o -pl headroom-shop test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp headroom-shop/target/test-classes:headroom-shop/target/classes:$(cat /tmp/cp.txt) \
 *     dev.headroom.shop.seed.SeedTiming
 * </pre>
 */
public final class SeedTiming {

    private SeedTiming() {
    }

    public static void main(String[] args) throws Exception {
        SeedSpec spec = args.length >= 4
                ? new SeedSpec(Long.parseLong(args[0]), Long.parseLong(args[1]), Long.parseLong(args[2]),
                        Long.parseLong(args[3]))
                : SeedSpec.DEFAULT;
        int runs = args.length >= 5 ? Integer.parseInt(args[4]) : 2;
        zipfSpeed();
        generationSpeed(spec);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("fsync", System.getProperty("fsync", "on"))
                .setServerConfig("synchronous_commit", System.getProperty("synchronous_commit", "on"))
                .start()) {
            DataSource ds = pg.getPostgresDatabase();
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT current_setting('fsync'), current_setting('synchronous_commit'), "
                         + "current_setting('wal_level'), current_setting('max_wal_size'), current_setting('shared_buffers'), version()")) {
                rs.next();
                System.out.printf("server: fsync=%s synchronous_commit=%s wal_level=%s max_wal_size=%s shared_buffers=%s%n  %s%n",
                        rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6));
            }
            Seeder seeder = new Seeder(ds);
            long items = Dataset.of(spec).items;
            long rows = spec.users() + spec.products() + spec.orders() + items;
            for (int run = 1; run <= runs; run++) {
                long start = System.nanoTime();
                seeder.seed(spec, (table, done, total) -> {
                    if (done == total) {
                        System.out.printf("  %-12s %,12d rows done at %6.2f s%n", table, total,
                                (System.nanoTime() - start) / 1e9);
                    }
                });
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "run %d: %s (%,d items, %,d rows) in %.2f s = %,.0f rows/s%n",
                        run, spec, items, rows, seconds, rows / seconds);
            }
            skew(ds, spec);
        }
    }

    private static void zipfSpeed() {
        ZipfSampler users = new ZipfSampler(100_000, Dataset.USER_EXPONENT, Dataset.USER_SHIFT);
        SplitMix64 rng = new SplitMix64(1);
        long sum = 0;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            int n = 20_000_000;
            for (int i = 0; i < n; i++) {
                sum += users.sample(rng);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "zipf n=100K: %.1fM samples/s%n", n / seconds / 1e6);
        }
        if (sum == 42) {
            System.out.println();
        }
    }

    /** Formats every row into a discarding sink: the client's share of the work. */
    private static void generationSpeed(SeedSpec spec) throws Exception {
        for (int round = 0; round < 3; round++) {
            long start = System.nanoTime();
            long[] bytes = {0};
            RowBuffer out = new RowBuffer((b, n) -> bytes[0] += n);
            Dataset data = Dataset.of(spec);
            UserRows users = new UserRows(spec);
            for (long i = 0; i < spec.users(); i++) {
                users.writeNext(out);
            }
            ProductRows products = new ProductRows(spec);
            for (long i = 0; i < spec.products(); i++) {
                products.writeNext(out);
            }
            OrderStream orders = new OrderStream(data);
            OrderStream items = new OrderStream(data);
            for (long i = 0; i < spec.orders(); i++) {
                orders.next();
                orders.writeOrder(out);
                items.next();
                items.writeItems(out);
            }
            out.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "generation only, one thread: %,d rows, %,d MB of COPY text in %.2f s = %,.0f rows/s%n",
                    out.rows(), bytes[0] >> 20, seconds, out.rows() / seconds);
        }
    }

    private static void skew(DataSource ds, SeedSpec spec) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            print(st, "top user orders, top 1% users share, top 10 users share, median orders per ordering user, users with no order",
                    """
                    WITH per_user AS (
                      SELECT u.id, count(o.id) AS n FROM users u LEFT JOIN orders o ON o.user_id = u.id GROUP BY u.id),
                    ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r, count(*) OVER () AS users FROM per_user)
                    SELECT max(n), round(100.0 * sum(n) FILTER (WHERE r <= users / 100) / sum(n), 1),
                           round(100.0 * sum(n) FILTER (WHERE r <= 10) / sum(n), 1),
                           percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FILTER (WHERE n > 0),
                           count(*) FILTER (WHERE n = 0)
                    FROM ranked""");
            print(st, "top product items, top product share of items %, share of orders %, top 1% products share %",
                    """
                    WITH per_product AS (SELECT product_id, count(*) AS n FROM order_items GROUP BY product_id),
                    ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r FROM per_product)
                    SELECT max(n), round(100.0 * max(n) / sum(n), 2),
                           round(100.0 * max(n) / (SELECT count(*) FROM orders), 2),
                           round(100.0 * sum(n) FILTER (WHERE r <= %d) / sum(n), 1) FROM ranked"""
                            .formatted(Math.max(1, spec.products() / 100)));
            print(st, "items, items per order, statuses", """
                    SELECT (SELECT count(*) FROM order_items),
                           round((SELECT count(*) FROM order_items)::numeric / nullif((SELECT count(*) FROM orders), 0), 3),
                           (SELECT string_agg(status || '=' || n, ' ' ORDER BY n DESC)
                              FROM (SELECT status, count(*) n FROM orders GROUP BY status) s)""");
            print(st, "categories (count)", """
                    SELECT string_agg(category || '=' || n, ' ' ORDER BY n DESC)
                    FROM (SELECT category, count(*) n FROM products GROUP BY category) s""");
            print(st, "price cents p10, p50, p90, min, max", """
                    SELECT percentile_disc(0.1) WITHIN GROUP (ORDER BY price_cents),
                           percentile_disc(0.5) WITHIN GROUP (ORDER BY price_cents),
                           percentile_disc(0.9) WITHIN GROUP (ORDER BY price_cents),
                           min(price_cents), max(price_cents) FROM products""");
            print(st, "table sizes", """
                    SELECT string_agg(relname || '=' || pg_size_pretty(pg_total_relation_size(oid)), ' ')
                    FROM pg_class WHERE relname IN ('users', 'products', 'orders', 'order_items')""");
            print(st, "sample rows", """
                    SELECT (SELECT u::text FROM users u WHERE id = 17), (SELECT p::text FROM products p WHERE id = 3417 % (SELECT count(*) FROM products) + 1),
                           (SELECT o::text FROM orders o ORDER BY id DESC LIMIT 1)""");
        }
    }

    private static void print(Statement st, String what, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            StringBuilder sb = new StringBuilder(what).append(":");
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                sb.append(i == 1 ? " " : " | ").append(rs.getString(i));
            }
            System.out.println(sb);
        }
    }
}
