package dev.headroom.shop.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.headroom.data.replica.Consistency;
import dev.headroom.data.replica.ReplicaMetrics;
import dev.headroom.data.replica.ReplicaRouter;
import dev.headroom.shop.Switch;
import dev.headroom.shop.ShopConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where requests get their connections. With the {@code pool} switch they borrow from a HikariCP pool sized by
 * the formula; without it each request opens a new connection, as the naive systems in the guides do (a TCP
 * handshake, authentication and a backend fork each time). With the {@code replicas} switch, reads go through a
 * {@link ReplicaRouter} to the primary's streaming replicas (each with a pool of the same size) by what each has
 * replayed; writes stay on the primary. Every request's connection to the primary asks the {@link DatabaseBreaker}
 * first: once the database is known gone, requests are refused at once instead of each waiting the pool's timeout.
 */
public final class Database implements AutoCloseable {
    /** A statement that runs longer is cancelled, so a stuck query cannot hold a request forever. */
    public static final int STATEMENT_TIMEOUT_MS = 30_000;
    /**
     * A read from the server's socket gives up after this: a safety net above {@link #STATEMENT_TIMEOUT_MS}, which the
     * server itself enforces, so a frozen server (SIGSTOP) would hold a statement forever without it.
     */
    public static final int SOCKET_TIMEOUT_S = STATEMENT_TIMEOUT_MS / 1000 + 5;
    private static final int CONNECT_TIMEOUT_S = 5;
    /** A replica pool gives up this soon: a dead replica then costs a read a failover, not the primary's 5 s. */
    private static final long REPLICA_CONNECTION_TIMEOUT_MS = 250;

    /** The smallest wait or hold the pool's histograms tell apart: a borrow that does not wait takes a few µs. */
    static final Duration HISTOGRAM_MIN = Duration.ofNanos(10_000);
    static final Duration HISTOGRAM_MAX = Duration.ofSeconds(10);
    private static final Set<String> POOL_TIMERS = Set.of("hikaricp.connections.acquire", "hikaricp.connections.usage");

    /**
     * Percentile histograms (10 µs to 10 s) for HikariCP's acquire and usage timers, which it registers with a count, a
     * sum and a max only: with them {@code /metrics} tells the pool wait's p99 (and the hold time's), which sizing needs.
     * Configure it on the registry before any meter is registered.
     */
    public static final MeterFilter POOL_HISTOGRAMS = new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (id.getType() != Meter.Type.TIMER || !POOL_TIMERS.contains(id.getName())) {
                return config;
            }
            return DistributionStatisticConfig.builder().percentilesHistogram(true)
                    .minimumExpectedValue((double) HISTOGRAM_MIN.toNanos()).maximumExpectedValue((double) HISTOGRAM_MAX.toNanos())
                    .build().merge(config);
        }
    };

    private final DataSource requests;
    private final HikariDataSource pool;
    private final PGSimpleDataSource direct;
    private final Counter opened;
    private final Timer acquire;
    private final ReplicaRouter router;
    private final List<HikariDataSource> replicaPools = new ArrayList<>();
    private final DeadlineCuts deadlineCuts;
    private final DatabaseBreaker breaker;

    private Database(ShopConfig config, MeterRegistry registry) {
        this.direct = directDataSource(config);
        PGSimpleDataSource probe = directDataSource(config);
        int probeTimeout = (int) DatabaseBreaker.PROBE_TIMEOUT.toSeconds();
        probe.setConnectTimeout(probeTimeout);
        probe.setLoginTimeout(probeTimeout);
        probe.setSocketTimeout(probeTimeout);
        this.deadlineCuts = new DeadlineCuts(registry);
        this.opened = Counter.builder("shop.db.connections.opened")
                .description("Connections opened for requests (baseline opens one per request)")
                .register(registry);
        this.acquire = Timer.builder("shop.db.connection.acquire")
                .description("Time a request waited for its connection: borrowed from the pool, or opened (no pool)")
                .publishPercentileHistogram().minimumExpectedValue(HISTOGRAM_MIN).maximumExpectedValue(HISTOGRAM_MAX)
                .register(registry);
        this.breaker = new DatabaseBreaker(probe, this::trialThroughPool, this::evictPool, registry);
        if (config.has(Switch.POOL)) {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName("shop");
            // The pool's own connection adder waits behind the breaker while it is open, so it connects at once after.
            hc.setDataSource(new GuardedDataSource(direct, breaker::connectWhenReachable));
            hc.setMaximumPoolSize(config.poolSize());
            hc.setMinimumIdle(config.poolSize());
            hc.setConnectionTimeout(5_000);
            hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            this.pool = new HikariDataSource(hc);
            this.requests = new GuardedDataSource(pool, breaker::borrow);
        } else {
            this.pool = null;
            this.requests = new GuardedDataSource(direct, breaker::borrow);
        }
        // Without replicas every read is the primary's anyway: no router, no polls, no token statement per write.
        this.router = config.has(Switch.REPLICAS) && !config.replicaUrls().isEmpty() ? router(config, registry) : null;
    }

    private ReplicaRouter router(ShopConfig config, MeterRegistry registry) {
        var b = ReplicaRouter.builder().primary(requests, direct); // the pollers keep unpooled connections of their own
        List<String> urls = config.replicaUrls();
        for (int i = 0; i < urls.size(); i++) {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName("shop-replica-" + (i + 1));
            PGSimpleDataSource replicaDirect = dataSource(urls.get(i), config);
            hc.setDataSource(replicaDirect);
            hc.setMaximumPoolSize(config.poolSize());
            hc.setMinimumIdle(config.poolSize());
            hc.setConnectionTimeout(REPLICA_CONNECTION_TIMEOUT_MS);
            hc.setInitializationFailTimeout(-1); // a replica that is down at start takes reads once it answers
            hc.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
            HikariDataSource replica = new HikariDataSource(hc);
            replicaPools.add(replica);
            b.replica("replica-" + (i + 1), replica, replicaDirect);
        }
        ReplicaRouter built = b.build();
        ReplicaMetrics.bind(built, registry);
        return built;
    }

    /** The breaker's half-open trial: a connection from the pool (a fresh one: the dead were evicted) answers. */
    private void trialThroughPool() throws SQLException {
        if (pool != null) {
            try (Connection c = pool.getConnection(); var st = c.createStatement()) {
                st.execute("SELECT 1");
            }
        }
    }

    /** When the breaker opens: the pool's connections are dead; idle ones go now, those in use when given back. */
    private void evictPool() {
        if (pool != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    public static Database open(ShopConfig config, MeterRegistry registry) {
        return new Database(config, registry);
    }

    /** A connection for one request: from the pool, or new. */
    public Connection connection() throws SQLException {
        if (pool == null) {
            opened.increment();
        }
        long start = System.nanoTime();
        try {
            return requests.getConnection();
        } finally {
            acquire.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** A request's statements on the primary, counted. Close it to give the connection back. */
    public Sql sql() {
        return new Sql(this, null, null);
    }

    /**
     * A read's statements: through the replica router at {@code level} with the {@code replicas} switch, else on
     * the primary as {@link #sql()}.
     */
    public Sql readSql(Consistency level) {
        return router == null ? sql() : new Sql(this, router, level);
    }

    /** The count of requests cut by their deadline, by stage. */
    public DeadlineCuts deadlineCuts() {
        return deadlineCuts;
    }

    /** The replica router, or null without the {@code replicas} switch or without replicas. */
    public ReplicaRouter router() {
        return router;
    }

    /** Unpooled connections for start-up work (migrations, seeding, indexes). */
    public DataSource admin() {
        return direct;
    }

    /**
     * What readiness checks: the requests' source (the pool when there is one, its health is what requests see, else a
     * new connection), behind the breaker.
     */
    public DataSource health() {
        return requests;
    }

    /** The circuit breaker on the primary. */
    public DatabaseBreaker breaker() {
        return breaker;
    }

    public boolean pooled() {
        return pool != null;
    }

    /** An unpooled data source for start-up work before the shop runs. */
    public static DataSource adminDataSource(ShopConfig config) {
        return directDataSource(config);
    }

    private static PGSimpleDataSource directDataSource(ShopConfig config) {
        return dataSource(config.jdbcUrl(), config);
    }

    private static PGSimpleDataSource dataSource(String url, ShopConfig config) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        if (config.dbUser() != null) {
            ds.setUser(config.dbUser());
        }
        if (config.dbPassword() != null && !config.dbPassword().isEmpty()) {
            ds.setPassword(config.dbPassword());
        }
        ds.setConnectTimeout(CONNECT_TIMEOUT_S);
        ds.setSocketTimeout(SOCKET_TIMEOUT_S);
        ds.setApplicationName("headroom-shop");
        ds.setOptions("-c statement_timeout=" + STATEMENT_TIMEOUT_MS);
        return ds;
    }

    @Override
    public void close() {
        breaker.close(); // first: it lets go of the pool's parked adder
        if (router != null) {
            router.close();
        }
        replicaPools.forEach(HikariDataSource::close);
        if (pool != null) {
            pool.close();
        }
    }

}
