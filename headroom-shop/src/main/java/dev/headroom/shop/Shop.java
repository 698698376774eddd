package dev.headroom.shop;

import dev.headroom.edge.guard.ConnectionGuard;
import dev.headroom.shop.cache.ShopCaches;
import dev.headroom.shop.db.Database;
import dev.headroom.shop.health.HealthRoutes;
import dev.headroom.shop.http.AdminOnly;
import dev.headroom.shop.http.AdmissionGate;
import dev.headroom.shop.http.ClientRateLimit;
import dev.headroom.shop.http.Endpoints;
import dev.headroom.shop.http.Gate;
import dev.headroom.shop.http.Json;
import dev.headroom.shop.http.RequestMetrics;
import dev.headroom.shop.http.UriUtf8;
import dev.headroom.shop.http.RouteClass;
import dev.headroom.shop.http.Routes;
import dev.headroom.shop.orders.OrderReads;
import dev.headroom.shop.orders.OrderRoutes;
import dev.headroom.shop.orders.PlaceOrder;
import dev.headroom.shop.products.ProductQueries;
import dev.headroom.shop.products.ProductRoutes;
import dev.headroom.shop.schema.IndexSet;
import dev.headroom.shop.seed.SeedSpec;
import dev.headroom.shop.seed.Seeder;
import dev.headroom.shop.users.UserQueries;
import dev.headroom.shop.users.UserRoutes;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;

/**
 * The running shop: prepares the database (migrations, seed data, the profile's indexes), then serves
 * the HTTP API on one event loop per core, with blocking work on virtual threads. {@link #close()} shuts
 * down gracefully: stop accepting, finish in-flight requests within the grace period, release everything.
 */
public final class Shop implements AutoCloseable {
    private final ShopConfig config;
    private final int port;
    private final Vertx vertx;
    private final List<ShopVerticle> servers;
    private final Database database;
    private final RedisClient redis;
    private final ShopCaches caches;
    private final HealthRoutes health;
    private final ExecutorService executor;
    private final PrometheusMeterRegistry registry;
    private final AtomicBoolean draining;
    private final AtomicBoolean warming;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Shop(ShopConfig config, int port, Vertx vertx, List<ShopVerticle> servers, Database database, RedisClient redis,
                 ShopCaches caches, HealthRoutes health, ExecutorService executor, PrometheusMeterRegistry registry,
                 AtomicBoolean draining, AtomicBoolean warming) {
        this.config = config;
        this.port = port;
        this.vertx = vertx;
        this.servers = servers;
        this.database = database;
        this.redis = redis;
        this.caches = caches;
        this.health = health;
        this.executor = executor;
        this.registry = registry;
        this.draining = draining;
        this.warming = warming;
    }

    /**
     * Migrates the schema, seeds {@code seed} unless the database already holds exactly that data
     * ({@code null}: never seed), and builds or drops the indexes as the {@code indexes} switch says.
     */
    public static void prepare(ShopConfig config, SeedSpec seed, Consumer<String> progress) throws SQLException {
        var admin = Database.adminDataSource(config);
        Flyway.configure().dataSource(admin).locations("classpath:db/migration").load().migrate();
        if (seed != null) {
            Seeder seeder = new Seeder(admin);
            if (seeder.isSeeded(seed)) {
                progress.accept("data: reusing the seeded data (" + describe(seed) + ")");
            } else {
                progress.accept("data: seeding " + describe(seed));
                // COPY into tables without secondary indexes, then build them once: far cheaper than maintaining them row by row
                IndexSet.apply(admin, false, progress);
                seeder.seed(seed, new ProgressLine(progress));
                clearCaches(config);
            }
        }
        IndexSet.apply(admin, config.has(Switch.INDEXES), progress);
    }

    /** What Redis cached describes the data just replaced. */
    private static void clearCaches(ShopConfig config) {
        RedisClient redis = RedisClient.create(config.redisUri());
        try {
            ShopCaches.clear(redis, Json.MAPPER);
        } finally {
            redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String describe(SeedSpec s) {
        return String.format("%,d users, %,d products, %,d orders, seed %d", s.users(), s.products(), s.orders(), s.seed());
    }

    /** Prepares the database (see {@link #prepare}) and starts serving. */
    public static Shop start(ShopConfig config, SeedSpec seed, Consumer<String> progress) throws Exception {
        prepare(config, seed, progress);
        return serve(config);
    }

    /** Starts serving on a database that {@link #prepare} already made ready for this profile. */
    public static Shop serve(ShopConfig config) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(Database.POOL_HISTOGRAMS); // before any meter: a filter applies only to meters registered after it
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Database database = Database.open(config, registry);
        RedisClient redis = RedisClient.create(config.redisUri());
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("shop-", 0).factory());
        AtomicBoolean draining = new AtomicBoolean();
        // Not ready until warmed (when asked to warm): a balancer or an experiment would otherwise send traffic
        // through caches still being filled, and the warm-up would race the reads.
        AtomicBoolean warming = new AtomicBoolean(config.warmOnStart());
        ShopCaches caches = ShopCaches.create(config.cache(), config.l1Entries(), config.poolSize(), redis, Json.MAPPER, registry,
                database.router());
        HealthRoutes health = new HealthRoutes(database, redis, caches.tiered(), executor,
                () -> draining.get() ? "shutting down" : warming.get() ? "warming its caches" : null);
        health.warmUp();
        int cores = Runtime.getRuntime().availableProcessors();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(cores));
        List<ShopVerticle> servers = new CopyOnWriteArrayList<>();
        try {
            int port = config.portFallback() ? freePort(config.host(), config.port()) : config.port();
            ClientRateLimit rateLimit = ClientRateLimit.on(vertx, config.rateLimit(), config.redisUri());
            Endpoints endpoints = new Endpoints(database, executor, gate(config, registry), config.has(Switch.HTTP));
            RequestMetrics metrics = new RequestMetrics(registry);
            boolean singleQuery = config.has(Switch.SINGLE_QUERY);
            UserQueries users = new UserQueries(singleQuery);
            OrderReads orders = OrderReads.of(singleQuery);
            UserRoutes userRoutes = new UserRoutes(users, caches.users());
            ProductRoutes productRoutes = new ProductRoutes(new ProductQueries(singleQuery), caches.products());
            OrderRoutes orderRoutes = new OrderRoutes(orders, users, caches.orders(), caches.users());
            PlaceOrder placeOrder = new PlaceOrder(orders, caches.orders(), config.orderListener());
            AdminOnly admin = new AdminOnly(config.adminToken());
            ConnectionGuard guard = ShopVerticle.guard(config.connectionGuard(), registry);
            Future<String> deployed = vertx.deployVerticle(() -> {
                ShopVerticle v = new ShopVerticle(config.host(), port, config.has(Switch.HTTP), guard, vx -> {
                    Router router = Router.router(vx);
                    router.route().handler(metrics.handler());
                    router.route().handler(new UriUtf8());
                    if (config.rateLimit() != null) {
                        router.route().handler(rateLimit);
                    }
                    new Routes(router)
                            .get("/users", endpoints.reading(userRoutes::findByEmail))
                            .get("/users/:id", endpoints.cached(userRoutes::fromCache, userRoutes::get))
                            .patch("/users/:id", endpoints.blocking(userRoutes::patch))
                            .get("/users/:id/orders", endpoints.reading(orderRoutes::userOrders))
                            .get("/products", endpoints.reading(RouteClass.SEARCH, productRoutes::search))
                            .get("/products/:id", endpoints.cached(productRoutes::fromCache, productRoutes::get))
                            .patch("/products/:id", admin.guard(endpoints.blocking(productRoutes::patch)))
                            .get("/orders/:id", endpoints.cached(orderRoutes::fromCache, orderRoutes::get))
                            .post("/orders", endpoints.blocking(RouteClass.CHECKOUT, placeOrder::place))
                            .get("/health/live", health::live)
                            .get("/health/ready", health::ready)
                            .get("/metrics", ctx -> ctx.response()
                                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                    .end(registry.scrape()))
                            .finish();
                    return router;
                });
                servers.add(v);
                return v;
            }, new DeploymentOptions().setInstances(cores));
            deployed.await(30, TimeUnit.SECONDS);
            return new Shop(config, port, vertx, servers, database, redis, caches, health, executor, registry, draining, warming);
        } catch (Exception e) {
            vertx.close().await(10, TimeUnit.SECONDS);
            caches.close();
            database.close();
            redis.shutdown();
            executor.shutdownNow();
            throw e;
        }
    }

    /** The admission switch's adaptive gate (its figures bound to the registry), or the fixed in-flight bound without it. */
    private static Gate gate(ShopConfig config, PrometheusMeterRegistry registry) {
        if (!config.has(Switch.ADMISSION)) {
            return Gate.fixed(config.maxInFlight());
        }
        AdmissionGate gate = new AdmissionGate(config.poolSize(), config.maxInFlight());
        gate.bindTo(registry);
        return gate;
    }

    /** The first free port at or above {@code start} (0: any free port). */
    static int freePort(String host, int start) throws IOException {
        if (start == 0) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                return s.getLocalPort();
            }
        }
        for (int p = start; p < Math.min(65536, start + 100); p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getByName(host))) {
                s.setReuseAddress(true);
                return p;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IOException("no free port in " + start + ".." + (start + 99) + " on " + host + "; pass another --port");
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://" + config.host() + ":" + port;
    }

    public ShopConfig config() {
        return config;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Cache warming at start-up: every product into the caches; see {@link ShopCaches#warmProducts}. A shop started
     * with {@link ShopConfig#warmOnStart()} is not ready until this has run.
     */
    public void warmCaches(Consumer<String> progress) throws SQLException {
        long start = System.nanoTime();
        try (var sql = database.sql()) {
            long stored = caches.warmProducts(sql, new ProductQueries(config.has(Switch.SINGLE_QUERY)));
            progress.accept(String.format("cache: warmed %,d products in %.1f s", stored, (System.nanoTime() - start) / 1e9));
        } finally {
            warming.set(false);
        }
    }

    /** The read-through caches (all off when the config's cache mode is none). */
    public ShopCaches caches() {
        return caches;
    }

    /** Graceful shutdown within the configured grace period; idempotent. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        draining.set(true);
        long grace = config.shutdownGrace().toMillis();
        try {
            Future.all(servers.stream().map(s -> s.shutdown(grace)).toList())
                    .await(grace + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // past the grace period: the remaining connections are closed below
        }
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // nothing more to release from Vert.x
        }
        executor.shutdown();
        try {
            executor.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        health.close();
        caches.close();
        redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        database.close();
        registry.close();
    }
}
