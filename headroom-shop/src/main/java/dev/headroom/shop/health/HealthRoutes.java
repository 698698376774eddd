package dev.headroom.shop.health;

import dev.headroom.shop.http.Json;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Liveness (the process answers; no dependencies, no hop off the event loop) and readiness (PostgreSQL
 * and Redis each answer within {@link #CHECK_TIMEOUT}, measured, and the shop is neither warming its caches nor draining).
 * Readiness is 200 when every check is UP and 503 otherwise, with the same body listing each check.
 */
public final class HealthRoutes {
    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final DataSource database;
    private final RedisClient redis;
    private final ExecutorService executor;
    private final Supplier<String> notReady;
    private volatile StatefulRedisConnection<String, String> redisConnection;

    /** @param notReady why the shop itself is not ready (e.g. {@code "shutting down"}), or null when it is */
    public HealthRoutes(DataSource database, RedisClient redis, ExecutorService executor, Supplier<String> notReady) {
        this.database = database;
        this.redis = redis;
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
        CompletableFuture<Map<String, Object>> pg = CompletableFuture.supplyAsync(() -> check("postgres", this::pingPostgres), executor);
        CompletableFuture<Map<String, Object>> rd = CompletableFuture.supplyAsync(() -> check("redis", this::pingRedis), executor);
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

    @FunctionalInterface
    private interface Probe {
        void run() throws Exception;
    }

    private static Map<String, Object> check(String name, Probe probe) {
        long start = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", name);
        try {
            probe.run();
            result.put("status", "UP");
        } catch (Exception e) {
            result.put("status", "DOWN");
            result.put("detail", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        result.put("latencyMs", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0);
        return result;
    }

    private void pingPostgres() throws Exception {
        try (Connection c = database.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) CHECK_TIMEOUT.toSeconds());
            try (ResultSet rs = st.executeQuery("SELECT 1")) {
                rs.next();
            }
        }
    }

    private void pingRedis() throws Exception {
        StatefulRedisConnection<String, String> c = redisConnection;
        if (c == null || !c.isOpen()) {
            synchronized (this) {
                c = redisConnection;
                if (c == null || !c.isOpen()) {
                    c = redis.connect();
                    c.setTimeout(CHECK_TIMEOUT);
                    redisConnection = c;
                }
            }
        }
        String pong = c.async().ping().toCompletableFuture().get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (!"PONG".equals(pong)) {
            throw new IllegalStateException("PING answered " + pong);
        }
    }

    public void close() {
        StatefulRedisConnection<String, String> c = redisConnection;
        if (c != null) {
            c.close();
        }
    }
}
