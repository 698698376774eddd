package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Algorithm;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The edge's config file, JSON; every field optional but {@code clusters}, unknown fields refused. An error names
 * the file and the field ({@code edge.json: clusters.shop.backends[1].weight: …}).
 *
 * <pre>{@code
 * {
 *   "listen":   {"host": "127.0.0.1", "port": 8080},
 *   "admin":    {"port": 9901, "token": "change-me-please"},
 *   "event_loops": 2,
 *   "timeouts_ms": {"connect": 2000, "upstream": 60000, "client_idle": 60000, "client_header": 10000, "client_body": 30000},
 *   "limits":   {"header_bytes": 8192, "body_bytes": 1048576, "client_connections": 16384, "client_connections_per_address": 2048},
 *   "retries":  {"attempts": 3, "budget": "20%,min=3", "hedge": "p97,max=5%", "circuit_breaker": "50%,open=10s"},
 *   "pool":     {"max_connections": 128, "max_pending": 1024, "idle_timeout_ms": 30000, "max_lifetime_ms": 600000},
 *   "clusters": {
 *     "shop":   {"lb": "peak-ewma", "hash_key": "path", "health_check": "/health/ready", "slow_start_ms": 10000,
 *                "backends": [{"url": "http://127.0.0.1:8081", "weight": 1, "id": "node-1"}]}
 *   },
 *   "routes":   [{"host": "shop.example.com", "path": "/", "cluster": "shop"}],
 *   "rate_limits": {"client": "100/s,key=address", "route": "1000/s,key=route"},
 *   "rate_limit_redis": "redis://127.0.0.1:6379"
 * }
 * }</pre>
 * {@code health_check: null} turns active checks off; routes may be left out when there is one cluster. Rate limits
 * are levels by name, most specific first, each in {@link dev.headroom.edge.ratelimit.RateLimit#parse}'s form; with
 * {@code rate_limit_redis} their buckets are in Redis, shared by every edge using it.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    /** @throws IllegalArgumentException with the file, the field and what is wrong, on one line */
    public static EdgeConfig.Builder read(Path file) {
        String where = file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the config file " + file + ": " + e.getMessage());
        }
        JsonObject root;
        try {
            root = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException(where + ": not a JSON object: " + firstLine(e.getMessage()));
        }
        try {
            return parse(root, where);
        } catch (Field f) {
            throw new IllegalArgumentException(where + ": " + f.getMessage());
        }
    }

    private static EdgeConfig.Builder parse(JsonObject root, String where) {
        only(root, "", "listen", "admin", "event_loops", "timeouts_ms", "limits", "retries", "pool", "clusters", "routes", "rate_limits",
                "rate_limit_redis");
        EdgeConfig.Builder b = EdgeConfig.builder();
        JsonObject listen = object(root, "listen", "");
        if (listen != null) {
            only(listen, "listen.", "host", "port");
            set("listen.host", () -> string(listen, "host", "listen."), b::host);
            set("listen.port", () -> integer(listen, "port", "listen."), b::port);
        }
        JsonObject admin = object(root, "admin", "");
        if (admin != null) {
            only(admin, "admin.", "port", "token");
            set("admin.port", () -> integer(admin, "port", "admin."), b::adminPort);
            set("admin.token", () -> string(admin, "token", "admin."), b::adminToken);
        }
        set("event_loops", () -> integer(root, "event_loops", ""), b::eventLoops);
        JsonObject timeouts = object(root, "timeouts_ms", "");
        if (timeouts != null) {
            only(timeouts, "timeouts_ms.", "connect", "upstream", "client_idle", "client_header", "client_body");
            set("timeouts_ms.connect", () -> millis(timeouts, "connect", "timeouts_ms."), b::connectTimeout);
            set("timeouts_ms.upstream", () -> millis(timeouts, "upstream", "timeouts_ms."), b::upstreamTimeout);
            set("timeouts_ms.client_idle", () -> millis(timeouts, "client_idle", "timeouts_ms."), b::clientIdleTimeout);
            set("timeouts_ms.client_header", () -> millis(timeouts, "client_header", "timeouts_ms."), b::clientHeaderTimeout);
            set("timeouts_ms.client_body", () -> millis(timeouts, "client_body", "timeouts_ms."), b::clientBodyTimeout);
        }
        JsonObject limits = object(root, "limits", "");
        if (limits != null) {
            only(limits, "limits.", "header_bytes", "body_bytes", "client_connections", "client_connections_per_address");
            set("limits.header_bytes", () -> integer(limits, "header_bytes", "limits."), b::maxHeaderBytes);
            set("limits.body_bytes", () -> integer(limits, "body_bytes", "limits."), b::maxBodyBytes);
            set("limits.client_connections", () -> integer(limits, "client_connections", "limits."), b::maxClientConnections);
            set("limits.client_connections_per_address", () -> integer(limits, "client_connections_per_address", "limits."),
                    b::maxClientConnectionsPerAddress);
        }
        JsonObject retries = object(root, "retries", "");
        if (retries != null) {
            only(retries, "retries.", "attempts", "budget", "hedge", "circuit_breaker");
            set("retries.attempts", () -> integer(retries, "attempts", "retries."), b::attempts);
            // the same text forms as the CLI's --retry-budget, --hedge and --circuit-breaker
            set("retries.budget", () -> string(retries, "budget", "retries."), v -> ResilienceFlags.retryBudget(b, v));
            set("retries.hedge", () -> string(retries, "hedge", "retries."), v -> ResilienceFlags.hedging(b, v));
            set("retries.circuit_breaker", () -> string(retries, "circuit_breaker", "retries."), v -> ResilienceFlags.circuitBreaker(b, v));
        }
        JsonObject pool = object(root, "pool", "");
        if (pool != null) {
            only(pool, "pool.", "max_connections", "max_pending", "idle_timeout_ms", "max_lifetime_ms");
            set("pool.max_connections", () -> integer(pool, "max_connections", "pool."), b::maxConnections);
            set("pool.max_pending", () -> integer(pool, "max_pending", "pool."), b::maxPending);
            set("pool.idle_timeout_ms", () -> millis(pool, "idle_timeout_ms", "pool."), b::poolIdleTimeout);
            set("pool.max_lifetime_ms", () -> millis(pool, "max_lifetime_ms", "pool."), b::poolMaxLifetime);
        }
        JsonObject rateLimits = object(root, "rate_limits", "");
        if (rateLimits != null) {
            for (String name : rateLimits.fieldNames()) {
                String at = "rate_limits." + name;
                String text = string(rateLimits, name, "rate_limits.");
                value(at, () -> b.rateLimit(name, dev.headroom.edge.ratelimit.RateLimit.parse(String.valueOf(text))));
            }
        }
        set("rate_limit_redis", () -> string(root, "rate_limit_redis", ""), b::rateLimitRedis);
        JsonObject clusters = object(root, "clusters", "");
        if (clusters == null || clusters.isEmpty()) {
            throw new Field("clusters: give at least one, e.g. {\"shop\": {\"backends\": [{\"url\": \"http://127.0.0.1:8081\"}]}}");
        }
        for (Map.Entry<String, Object> e : clusters) {
            String path = "clusters." + e.getKey();
            if (!(e.getValue() instanceof JsonObject c)) {
                throw new Field(path + ": must be an object with backends");
            }
            ClusterSpec spec = value(path, () -> cluster(e.getKey(), c, path));
            value(path, () -> b.cluster(spec));
        }
        Object routes = root.getValue("routes");
        if (routes == null && clusters.size() > 1) {
            throw new Field("routes: with several clusters, routes must say which requests go where, e.g. "
                    + "[{\"path\": \"/\", \"cluster\": \"" + clusters.fieldNames().iterator().next() + "\"}]");
        }
        if (routes != null) {
            if (!(routes instanceof JsonArray list)) {
                throw new Field("routes: must be a list of {\"host\", \"path\", \"cluster\"}");
            }
            for (int i = 0; i < list.size(); i++) {
                String path = "routes[" + i + "]";
                if (!(list.getValue(i) instanceof JsonObject r)) {
                    throw new Field(path + ": must be an object with path and cluster");
                }
                only(r, path + ".", "host", "path", "cluster");
                String named = string(r, "cluster", path + ".");
                if (named != null && !clusters.containsKey(named)) {
                    throw new Field(path + ".cluster: there is no cluster '" + named + "'; the clusters are "
                            + String.join(", ", clusters.fieldNames()));
                }
                Route route = value(path, () -> new Route(string(r, "host", path + "."),
                        string(r, "path", path + ".") == null ? "/" : string(r, "path", path + "."), string(r, "cluster", path + ".")));
                b.route(route);
            }
        }
        return b;
    }

    private static ClusterSpec cluster(String name, JsonObject c, String path) {
        only(c, path + ".", "lb", "hash_key", "health_check", "slow_start_ms", "backends");
        String lb = string(c, "lb", path + ".");
        Algorithm algorithm = lb == null ? Algorithm.ROUND_ROBIN : value(path + ".lb", () -> Algorithm.parse(lb));
        String key = string(c, "hash_key", path + ".");
        HashKey hashKey = key == null ? null : value(path + ".hash_key", () -> HashKey.parse(key));
        String check = c.containsKey("health_check") ? string(c, "health_check", path + ".") : ClusterSpec.DEFAULT_CHECK_PATH;
        Duration slowStart = c.containsKey("slow_start_ms") ? millisOrZero(c, "slow_start_ms", path + ".") : ClusterSpec.DEFAULT_SLOW_START;
        if (!(c.getValue("backends") instanceof JsonArray list) || list.isEmpty()) {
            throw new Field(path + ".backends: give at least one, e.g. [{\"url\": \"http://127.0.0.1:8081\"}]");
        }
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = path + ".backends[" + i + "]";
            if (!(list.getValue(i) instanceof JsonObject o)) {
                throw new Field(at + ": must be an object with a url");
            }
            only(o, at + ".", "url", "weight", "id");
            String url = string(o, "url", at + ".");
            if (url == null) {
                throw new Field(at + ".url: a backend needs one, e.g. http://127.0.0.1:8081");
            }
            Backend parsed = value(at + ".url", () -> Backend.parse(url));
            Integer weight = integer(o, "weight", at + ".");
            String id = string(o, "id", at + ".");
            backends.add(value(at, () -> new Backend(id == null ? parsed.id() : id, parsed.url(), weight == null ? 1 : weight)));
        }
        return new ClusterSpec(name, backends, algorithm, hashKey, check, slowStart);
    }

    private static void only(JsonObject o, String path, String... known) {
        Set<String> fields = Set.of(known);
        for (String name : o.fieldNames()) {
            if (!fields.contains(name)) {
                throw new Field(path + name + ": not a known field; the fields here are " + String.join(", ", known));
            }
        }
    }

    private static JsonObject object(JsonObject o, String name, String path) {
        Object v = o.getValue(name);
        if (v != null && !(v instanceof JsonObject)) {
            throw new Field(path + name + ": must be an object");
        }
        return (JsonObject) v;
    }

    private static String string(JsonObject o, String name, String path) {
        Object v = o.getValue(name);
        if (v != null && !(v instanceof String)) {
            throw new Field(path + name + ": must be a string");
        }
        return (String) v;
    }

    private static Integer integer(JsonObject o, String name, String path) {
        Object v = o.getValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() != ((Number) v).intValue()) {
            throw new Field(path + name + ": must be a whole number, was " + v);
        }
        return ((Number) v).intValue();
    }

    private static Duration millis(JsonObject o, String name, String path) {
        Integer ms = integer(o, name, path);
        return ms == null ? null : Duration.ofMillis(ms);
    }

    private static Duration millisOrZero(JsonObject o, String name, String path) {
        Duration d = millis(o, name, path);
        return d == null ? Duration.ZERO : d;
    }

    /** Applies a present value, naming the field if the builder refuses it. */
    private static <T> void set(String field, java.util.function.Supplier<T> value, Consumer<T> setter) {
        T v = value.get();
        if (v != null) {
            value(field, () -> {
                setter.accept(v);
                return v;
            });
        }
    }

    private static <T> T value(String field, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (Field f) {
            throw f;
        } catch (IllegalArgumentException e) {
            throw new Field(field + ": " + e.getMessage());
        }
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A field's error, already naming the field. */
    private static final class Field extends IllegalArgumentException {
        Field(String message) {
            super(message);
        }
    }
}
