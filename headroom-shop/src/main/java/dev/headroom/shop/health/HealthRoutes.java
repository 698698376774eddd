package dev.headroom.shop.health;

import dev.headroom.cache.TieredCache;
import dev.headroom.shop.db.Database;
import dev.headroom.shop.http.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.postgresql.jdbc.PgStatement;

/**
 * Liveness (the process answers; no dependencies, no hop off the event loop) and readiness, which answers within a
 * second whatever the dependencies do: PostgreSQL and Redis each answer within {@link #CHECK_TIMEOUT}, measured, and
 * the shop is neither warming its caches nor draining. A dependency whose circuit breaker is open (the database's, or a
 * cache's L2 breaker on Redis) is DOWN at once with {@code "unreachable: <cause>"}, without asking it again; otherwise
 * one check runs at a time per dependency, and a readiness request that comes while one runs waits for that one.
 * Readiness is 200 when every check is UP and 503 otherwise, with the same body listing each check.
 */
public final class HealthRoutes {
    /** A check not answered within this is DOWN: two run side by side, so readiness answers in well under 1 s. */
    public static final Duration CHECK_TIMEOUT = Duration.ofMillis(600);

    private final Database database;
    private final RedisClient redis;
    private final List<? extends TieredCache<?, ?>> caches;
    private final ExecutorService executor;
    private final Supplier<String> notReady;
    private final AtomicReference<CompletableFuture<Void>> postgresCheck = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Void>> redisCheck = new AtomicReference<>();
    private volatile StatefulRedisConnection<String, String> redisConnection;
    /** Whether this class's own last PING was answered: an open L2 breaker learns only from cache traffic, and this does not wait for it. */
    private volatile boolean redisAnswered = true;

    /**
     * @param caches   the caches whose L2 breakers say whether Redis is known unreachable (empty without L2)
     * @param notReady why the shop itself is not ready (e.g. {@code "shutting down"}), or null when it is
     */
    public HealthRoutes(Database database, RedisClient redis, List<? extends TieredCache<?, ?>> caches, ExecutorService executor,
                        Supplier<String> notReady) {
        this.database = database;
        this.redis = redis;
        this.caches = List.copyOf(caches);
        this.executor = executor;
        this.notReady = notReady;
    }

    /** Opens the Redis connection in the background, so the first readiness check does not pay for it. */
    public void warmUp() {
        executor.execute(() -> {
            try {
                pingRedis();
            } catch (Exception ignored) {
                // readiness will report it
            }
        });
    }

    public void live(RoutingContext ctx) {
        ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
    }

    public void ready(RoutingContext ctx) {
        // PostgreSQL not answering in time makes the breaker probe it: a frozen server fails no request, it holds them.
        CompletableFuture<Map<String, Object>> pg = check("postgres", database.breaker().cause(), postgresCheck, this::pingPostgres,
                database.breaker()::suspect);
        CompletableFuture<Map<String, Object>> rd = check("redis", redisAnswered ? null : redisBreakerCause(), redisCheck, this::pingRedis,
                () -> { });
        pg.thenCombine(rd, (a, b) -> {
            List<Map<String, Object>> checks = new ArrayList<>(List.of(a, b));
            String shop = notReady.get();
            if (shop != null) {
                checks.add(Map.of("name", "shop", "status", "DOWN", "detail", shop));
            }
            boolean up = checks.stream().allMatch(c -> "UP".equals(c.get("status")));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", up ? "UP" : "DOWN");
            body.put("checks", checks);
            ctx.response().setStatusCode(up ? 200 : 503)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(Json.toBuffer(body));
            return null;
        });
    }

    /** Why a cache's L2 breaker stopped asking Redis, or null when none did. */
    private String redisBreakerCause() {
        return caches.stream().map(TieredCache::l2BreakerCause).filter(Objects::nonNull).findFirst().orElse(null);
    }

    @FunctionalInterface
    private interface Probe {
        void run() throws Exception;
    }

    /**
     * The check's result within {@link #CHECK_TIMEOUT} ({@code noAnswer} runs when it timed out): DOWN at once when a
     * breaker knows the dependency unreachable
     * ({@code breakerCause}), else the running check's outcome. A check runs either way, one at a time ({@code running}):
     * for Redis it is how readiness learns that Redis is back while the cache's breaker, without traffic, still says not.
     */
    private CompletableFuture<Map<String, Object>> check(String name, String breakerCause, AtomicReference<CompletableFuture<Void>> running,
                                                         Probe probe, Runnable noAnswer) {
        long start = System.nanoTime();
        CompletableFuture<Void> check = running(running, probe);
        if (breakerCause != null) {
            return CompletableFuture.completedFuture(result(name, "unreachable: " + breakerCause, start));
        }
        return check.copy().orTimeout(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> {
                    if (unwrap(failure) instanceof java.util.concurrent.TimeoutException) {
                        noAnswer.run();
                    }
                    return result(name, failure == null ? null : detail(failure), start);
                });
    }

    /** The check that runs now, started if none does: so that checks never pile up behind a dependency that hangs. */
    private CompletableFuture<Void> running(AtomicReference<CompletableFuture<Void>> running, Probe probe) {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<Void> check = running.compareAndExchange(null, started);
        if (check == null) {
            check = started;
            executor.execute(() -> {
                try {
                    probe.run();
                    started.complete(null);
                } catch (Exception e) {
                    started.completeExceptionally(e);
                } finally {
                    running.compareAndSet(started, null);
                }
            });
        }
        return check;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static String detail(Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof java.util.concurrent.TimeoutException) {
            return "no answer within " + CHECK_TIMEOUT.toMillis() + " ms";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static Map<String, Object> result(String name, String failure, long start) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", name);
        result.put("status", failure == null ? "UP" : "DOWN");
        if (failure != null) {
            result.put("detail", failure);
        }
        result.put("latencyMs", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0);
        return result;
    }

    private void pingPostgres() throws Exception {
        try (Connection c = database.health().getConnection(); Statement st = c.createStatement()) {
            st.unwrap(PgStatement.class).setQueryTimeoutMs(CHECK_TIMEOUT.toMillis());
            st.execute("SELECT 1");
        } catch (java.sql.SQLException e) {
            database.breaker().unreachable(e); // a connection-class failure makes the breaker look
            throw e;
        }
    }

    private void pingRedis() throws Exception {
        try {
            String pong = redisConnection().async().ping().toCompletableFuture().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException("PING answered " + pong);
            }
            redisAnswered = true;
        } catch (Exception e) {
            redisAnswered = false;
            throw e;
        }
    }

    /** One connection for good: Lettuce reconnects it by itself after Redis comes back. */
    private StatefulRedisConnection<String, String> redisConnection() {
        StatefulRedisConnection<String, String> c = redisConnection;
        if (c == null) {
            synchronized (this) {
                c = redisConnection;
                if (c == null) {
                    c = redis.connect();
                    c.setTimeout(CHECK_TIMEOUT);
                    redisConnection = c;
                }
            }
        }
        return c;
    }

    public void close() {
        StatefulRedisConnection<String, String> c = redisConnection;
        if (c != null) {
            c.close();
        }
    }
}
