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
 * Asking for other switches stops the running shop and builds or drops the indexes, as a restart with
 * other {@code --optimize} switches would. 120K orders: enough for the planner's choices to mean something.
 */
public final class TestShops {
    public static final SeedSpec SPEC = new SeedSpec(5_000, 1_000, 120_000, 7);

    private static Shop current;
    /**
     * HTTP/1.1, as the load lab and the edge speak it; the JDK client's default h2c upgrade is not what these tests are
     * about (and over h2c Vert.x 5.0.10 compresses bodies under the shop's minimum too).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    static {
        // TestServers' own hook stops the servers; the shop goes first where the hooks' race allows.
        Runtime.getRuntime().addShutdownHook(new Thread(TestShops::stop, "test-shop-stop"));
    }

    private TestShops() {
    }

    /** The running shop of that profile (with its default caches), started (and the schema switched) if needed. */
    public static synchronized Shop shop(Profile profile) {
        return shop(profile.switches());
    }

    /** The running shop of that profile and cache mode, started if needed. */
    public static synchronized Shop shop(Profile profile, CacheMode cache) {
        return shop(profile.switches().withCache(cache));
    }

    /** The running shop with these switches, started (and the indexes built or dropped) if needed. */
    public static synchronized Shop shop(Switches switches) {
        if (current != null && current.config().switches().equals(switches)) {
            return current;
        }
        stop();
        try {
            current = Shop.start(config(switches).build(), SPEC, line -> { });
            return current;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the shop with " + switches.id(), e);
        }
    }

    /** A configuration on the shared servers, for tests that start a shop of their own. */
    public static synchronized ShopConfig.Builder config(Profile profile) {
        return config(profile.switches());
    }

    public static synchronized ShopConfig.Builder config(Switches switches) {
        PostgresNode pg = infra().topology().primary();
        return ShopConfig.builder().switches(switches).port(0).portFallback(true)
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
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return HTTP.send(request, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code Authorization} header value that admin writes ({@code PATCH /products/{id}}) on {@code shop} need. */
    public static String admin(Shop shop) {
        return "Bearer " + shop.config().adminToken();
    }

    public static HttpResponse<String> get(Shop shop, String path) {
        return send(HttpRequest.newBuilder(URI.create(shop.url() + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }
}
