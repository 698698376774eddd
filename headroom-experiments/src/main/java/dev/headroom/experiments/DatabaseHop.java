package dev.headroom.experiments;

import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.proxy.TcpProxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;

/**
 * How the shop nodes reach PostgreSQL (the cache lab's and the pool lab's {@code --db-rtt}): on loopback, where a query's round trip costs tens of µs, or one network
 * hop away, through a {@link TcpProxy} that adds {@code --db-rtt} to every round trip (half each way). The
 * proxy is a model; {@link #measure()} says what the nodes actually pay through it.
 */
public final class DatabaseHop implements AutoCloseable {
    /** {@code SELECT 1}s timed each way, after as many untimed (connections, prepared statements, JIT warm). */
    public static final int ROUND_TRIPS = 200;

    private final PostgresNode pg;
    private final Duration roundTrip;
    private final TcpProxy proxy;

    private DatabaseHop(PostgresNode pg, Duration roundTrip, TcpProxy proxy) {
        this.pg = pg;
        this.roundTrip = roundTrip;
        this.proxy = proxy;
    }

    /** @param roundTrip what the proxy adds; null for no proxy at all */
    public static DatabaseHop to(PostgresNode pg, Duration roundTrip) {
        if (roundTrip == null) {
            return new DatabaseHop(pg, null, null);
        }
        return new DatabaseHop(pg, roundTrip, TcpProxy.builder().upstream(pg.host(), pg.port()).latency(roundTrip, Duration.ZERO).start());
    }

    /** The round trip the proxy adds, or null on loopback. */
    public Duration roundTrip() {
        return roundTrip;
    }

    /** Where the shop nodes connect: the proxy, or PostgreSQL itself. */
    public String jdbcUrl() {
        return proxy == null ? pg.jdbcUrl() : "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + pg.database();
    }

    /** What {@link #measure()} found: the median {@code SELECT 1} through the proxy and straight to PostgreSQL. */
    public record Measured(double proxiedMs, double directMs) {
        /** What the hop adds to a round trip. */
        public double addedMs() {
            return proxiedMs - directMs;
        }
    }

    /**
     * Times {@value #ROUND_TRIPS} {@code SELECT 1}s through the proxy and as many straight to PostgreSQL,
     * taken in turn so that the machine's load falls on both alike.
     */
    public Measured measure() throws SQLException {
        try (Connection via = connect(jdbcUrl()); Connection direct = connect(pg.jdbcUrl());
             PreparedStatement viaSelect = via.prepareStatement("SELECT 1");
             PreparedStatement directSelect = direct.prepareStatement("SELECT 1")) {
            long[] viaNanos = new long[ROUND_TRIPS];
            long[] directNanos = new long[ROUND_TRIPS];
            for (int i = -ROUND_TRIPS; i < ROUND_TRIPS; i++) {
                long a = time(viaSelect);
                long b = time(directSelect);
                if (i >= 0) {
                    viaNanos[i] = a;
                    directNanos[i] = b;
                }
            }
            return new Measured(medianMs(viaNanos), medianMs(directNanos));
        }
    }

    /**
     * Says on {@code progress} how the nodes reach PostgreSQL and, with a hop, what it adds as {@link #measure()} finds
     * it, which is returned (ms); on loopback, null.
     */
    public Double measureAndSay(ProgressLog progress) throws SQLException {
        if (roundTrip == null) {
            progress.line("database: on loopback, no proxy (--db-rtt puts it one hop away)");
            return null;
        }
        Measured m = measure();
        progress.line(String.format("database: one hop away, through a TcpProxy set to add %.3f ms per round trip; SELECT 1 takes %.3f ms "
                        + "through it and %.3f ms direct (medians of %d each): %.3f ms added", roundTrip.toNanos() / 1e6,
                m.proxiedMs(), m.directMs(), ROUND_TRIPS, m.addedMs()));
        return m.addedMs();
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, pg.user(), pg.password() == null ? "" : pg.password());
    }

    private static long time(PreparedStatement select) throws SQLException {
        long start = System.nanoTime();
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
        }
        return System.nanoTime() - start;
    }

    private static double medianMs(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
