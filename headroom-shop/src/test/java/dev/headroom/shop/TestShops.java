package dev.headroom.shop;

import dev.headroom.infra.Infra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.seed.SeedSpec;
import dev.headroom.testkit.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The test JVM's one embedded PostgreSQL and Redis ({@link TestServers}), seeded once, and at most one shop at a time.
 * Asking for the other profile stops the running shop and switches the index set, as a restart with
 * another {@code --profile} would. 120K orders: enough for the planner's choices to mean something.
 */
public final class TestShops {
    public static final SeedSpec SPEC = new SeedSpec(5_000, 1_000, 120_000, 7);

    private static Shop current;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static {
        // TestServers' own hook stops the servers; the shop goes first where the hooks' race allows.
        Runtime.getRuntime().addShutdownHook(new Thread(TestShops::stop, "test-shop-stop"));
    }

    private TestShops() {
    }

    /** The running shop of that profile (with its default caches), started (and the schema switched) if needed. */
    public static synchronized Shop shop(Profile profile) {
        return shop(profile, profile == Profile.OPTIMIZED ? CacheMode.L1_L2 : CacheMode.NONE);
    }

    /** The running shop of that profile and cache mode, started if needed. */
    public static synchronized Shop shop(Profile profile, CacheMode cache) {
        if (current != null && current.config().profile() == profile && current.config().cache() == cache) {
            return current;
        }
        stop();
        try {
            current = Shop.start(config(profile).cache(cache).build(), SPEC, line -> { });
            return current;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the " + profile.id() + " shop", e);
        }
    }

    /** A configuration on the shared servers, for tests that start a shop of their own. */
    public static synchronized ShopConfig.Builder config(Profile profile) {
        PostgresNode pg = infra().topology().primary();
        return ShopConfig.builder().profile(profile).port(0).portFallback(true)
                .database(pg.jdbcUrl(), pg.user(), pg.password())
                .redis(infra().topology().redis().uri());
    }

    /** Stops the running shop, if any (tests that start their own call this first). */
    public static synchronized void stop() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    public static Infra infra() {
        return TestServers.postgresAndRedis();
    }

    public static DataSource database() {
        PostgresNode pg = infra().topology().primary();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl());
        ds.setUser(pg.user());
        if (pg.password() != null) {
            ds.setPassword(pg.password());
        }
        return ds;
    }

    public static long count(String table) {
        try (Connection c = database().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> get(Shop shop, String path) {
        return send(HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }
}
