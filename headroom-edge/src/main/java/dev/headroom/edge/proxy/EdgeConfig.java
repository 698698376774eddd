package dev.headroom.edge.proxy;

import dev.headroom.edge.auth.AdminToken;
import dev.headroom.edge.hedge.Hedger;
import dev.headroom.edge.retry.Backoff;
import dev.headroom.edge.retry.RetryBudget;
import dev.headroom.edge.guard.GuardConfig;
import java.time.Duration;
import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.edge.ratelimit.RateLimiter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link EdgeServer} runs with, validated when built: a setting out of range is refused with its name and
 * what to change. Defaults follow nginx's where nginx has one (its header and body limits, its 60 s timeouts).
 */
public final class EdgeConfig {
    public static final int DEFAULT_PORT = 8080;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = GuardConfig.DEFAULT_KEEPALIVE_TIMEOUT;
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final int DEFAULT_MAX_CONNECTIONS = 128;
    public static final int DEFAULT_MAX_PENDING = 1024;
    public static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_POOL_MAX_LIFETIME = Duration.ofMinutes(10);

    final String host;
    final int port;
    final int adminPort;
    final String adminToken;
    final int eventLoops;
    final Map<String, ClusterSpec> clusters;
    final List<Route> routes;
    final Duration connectTimeout;
    final Duration upstreamTimeout;
    /** The client connections' timeouts (header, body, keep-alive) and limits. */
    final GuardConfig clientGuard;
    final int maxHeaderBytes;
    final int maxBodyBytes;
    final int attempts;
    final int maxConnections;
    final int maxPending;
    final Duration poolIdleTimeout;
    final Duration poolMaxLifetime;
    final Map<String, RateLimit> rateLimits;
    final String rateLimitRedis;
    final Resilience resilience;

    private EdgeConfig(Builder b) {
        host = b.host;
        port = b.port;
        adminPort = b.adminPort;
        adminToken = b.adminToken;
        eventLoops = b.eventLoops;
        clusters = Map.copyOf(b.clusters);
        routes = List.copyOf(b.routes);
        connectTimeout = b.connectTimeout;
        upstreamTimeout = b.upstreamTimeout;
        clientGuard = b.clientGuard;
        maxHeaderBytes = b.maxHeaderBytes;
        maxBodyBytes = b.maxBodyBytes;
        attempts = b.attempts;
        maxConnections = b.maxConnections;
        maxPending = b.maxPending;
        poolIdleTimeout = b.poolIdleTimeout;
        poolMaxLifetime = b.poolMaxLifetime;
        rateLimits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.rateLimits));
        rateLimitRedis = b.rateLimitRedis;
        resilience = b.resilience.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public String adminToken() {
        return adminToken;
    }

    public Map<String, ClusterSpec> clusters() {
        return clusters;
    }

    public List<Route> routes() {
        return routes;
    }

    /** The rate limits' levels by name, most specific first; empty for none. */
    public Map<String, RateLimit> rateLimits() {
        return rateLimits;
    }

    /** The limiter of {@link #rateLimits}, its buckets in {@link Builder#rateLimitRedis} when given; null without limits. */
    RateLimiter startRateLimiter() {
        if (rateLimits.isEmpty()) {
            return null;
        }
        RateLimiter.Builder b = RateLimiter.builder();
        rateLimits.forEach(b::level);
        if (rateLimitRedis != null) {
            b.redis(rateLimitRedis);
        }
        return b.build();
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private int adminPort;
        private String adminToken;
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private final Map<String, ClusterSpec> clusters = new LinkedHashMap<>();
        private final List<Route> routes = new ArrayList<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration upstreamTimeout = DEFAULT_UPSTREAM_TIMEOUT;
        private final GuardConfig.Builder guard = GuardConfig.builder();
        private GuardConfig clientGuard;
        private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int attempts = DEFAULT_ATTEMPTS;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxPending = DEFAULT_MAX_PENDING;
        private Duration poolIdleTimeout = DEFAULT_POOL_IDLE_TIMEOUT;
        private Duration poolMaxLifetime = DEFAULT_POOL_MAX_LIFETIME;
        private final Map<String, RateLimit> rateLimits = new LinkedHashMap<>();
        private String rateLimitRedis;
        private final Resilience resilience = new Resilience();

        private Builder() {
        }

        /**
         * Envoy's retry budget per cluster: retries in flight at most {@code max(minRetryConcurrency, ratio × requests
         * in flight)}, on top of {@link #attempts}. Default Envoy's, 20 % and 3.
         */
        public Builder retryBudget(double ratio, int minRetryConcurrency) {
            RetryBudget.of(ratio, minRetryConcurrency); // checks both
            resilience.budgetRatio = ratio;
            resilience.budgetMin = minRetryConcurrency;
            return this;
        }

        /** Naive retries: every idempotent failure is tried again up to {@link #attempts}, however many fail (for comparisons). */
        public Builder noRetryBudget() {
            resilience.budgetRatio = -1;
            return this;
        }

        /** Exponential backoff with full jitter before each retry: random in [0, min(cap, base × 2^n)). Default 25 ms, 250 ms. */
        public Builder retryBackoff(Duration base, Duration cap) {
            Backoff.exponential(base, cap); // checks both
            resilience.backoffBase = base;
            resilience.backoffCap = cap;
            return this;
        }

        /**
         * Hedged GETs and HEADs: when a try has no answer after the {@code percentile} of the cluster's recent latencies,
         * a second try goes to another backend, the first answer wins and the other is closed; hedges at most
         * {@code maxExtraRatio} of requests. Off by default.
         */
        public Builder hedging(double percentile, double maxExtraRatio) {
            Hedger.builder().percentile(percentile).maxExtraRatio(maxExtraRatio); // checks both
            resilience.hedgePercentile = percentile;
            resilience.hedgeMaxExtra = maxExtraRatio;
            return this;
        }

        /** The bounds of the hedging delay. Default 1 ms and 1 s. */
        public Builder hedgingDelay(Duration min, Duration max) {
            Hedger.builder().minDelay(min).maxDelay(max).build(); // checks both, and their order
            resilience.hedgeMinDelay = min;
            resilience.hedgeMaxDelay = max;
            return this;
        }

        /**
         * A circuit breaker per backend (Resilience4j): open when {@code failureRatePercent} of its last
         * {@value Resilience#BREAKER_WINDOW} tries failed (5xx or no answer), for {@code openFor}, then half-open for
         * {@value Resilience#BREAKER_PROBES} probes. An open backend gets no request. Off by default.
         */
        public Builder circuitBreaker(int failureRatePercent, Duration openFor) {
            if (failureRatePercent < 1 || failureRatePercent > 100) {
                throw new IllegalArgumentException("the circuit breaker's failure rate must be between 1 and 100 %, was " + failureRatePercent);
            }
            resilience.breakerFailureRate = failureRatePercent;
            resilience.breakerOpenFor = checkPositive("circuit breaker open time", openFor);
            return this;
        }

        /**
         * The time a request may take at the edge, sent on as {@code Headroom-Deadline-Ms} (the earlier of it and the
         * client's own). Default: the upstream timeout.
         */
        public Builder requestTimeout(Duration timeout) {
            resilience.requestTimeout = checkPositive("request timeout", timeout);
            return this;
        }

        /**
         * An adaptive concurrency limit per cluster: requests in flight to it at most the limit Netflix's Gradient2
         * sets from their latency, never below {@code min} nor above {@code max}; beyond it a short CoDel queue, then
         * 503 with Retry-After. Requests under {@code criticalPaths} keep the whole limit, those under
         * {@code sheddablePaths} are refused first (they may use 80 % of it), the rest 90 %. Off by default.
         */
        public Builder adaptiveConcurrency(int min, int max, List<String> criticalPaths, List<String> sheddablePaths) {
            Resilience.admission(min, max); // checks both, and their order
            for (String p : concat(criticalPaths, sheddablePaths)) {
                if (p == null || !p.startsWith("/")) {
                    throw new IllegalArgumentException("a path prefix must start with /, was '" + p + "'");
                }
            }
            resilience.concurrencyMin = min;
            resilience.concurrencyMax = max;
            resilience.criticalPaths = List.copyOf(criticalPaths);
            resilience.sheddablePaths = List.copyOf(sheddablePaths);
            return this;
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        /** The address to listen on. Default 127.0.0.1. */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must be an address to listen on, e.g. 127.0.0.1 or 0.0.0.0");
            }
            this.host = host;
            return this;
        }

        /** The port clients connect to; 0 for any free one. Default {@value #DEFAULT_PORT}. */
        public Builder port(int port) {
            this.port = checkPort("port", port);
            return this;
        }

        /** The admin API's and /metrics' port on the same host; 0 (the default) for any free one. */
        public Builder adminPort(int port) {
            this.adminPort = checkPort("admin port", port);
            return this;
        }

        /** The bearer token the admin API requires; null (the default) has one generated and shown at start. */
        public Builder adminToken(String token) {
            if (token != null) {
                AdminToken.of(token); // the rule the shop's admin writes share
            }
            this.adminToken = token;
            return this;
        }

        /** Event-loop threads. Default: one per core. */
        public Builder eventLoops(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("event loops must be between 1 and 64, was " + threads);
            }
            this.eventLoops = threads;
            return this;
        }

        public Builder cluster(ClusterSpec cluster) {
            if (clusters.putIfAbsent(cluster.name(), cluster) != null) {
                throw new IllegalArgumentException("two clusters are named '" + cluster.name() + "'");
            }
            return this;
        }

        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route));
            return this;
        }

        /** How long a connection to a backend may take to open. Default 2 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = checkPositive("connect timeout", timeout);
            return this;
        }

        /** The longest a backend may stay silent once sent a request (nginx's proxy_read_timeout). Default 60 s. */
        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = checkPositive("upstream timeout", timeout);
            return this;
        }

        /** A client connection with no byte of a next request this long after a response is closed (nginx's keepalive_timeout is 75 s). Default 60 s. */
        public Builder clientIdleTimeout(Duration timeout) {
            guard.keepAliveTimeout(timeout);
            return this;
        }

        /** A client's request headers must be complete this long after its connection or its request began (nginx's client_header_timeout is 60 s). Default 10 s. */
        public Builder clientHeaderTimeout(Duration timeout) {
            guard.headerTimeout(timeout);
            return this;
        }

        /** The longest a client's request body may stall between two reads (nginx's client_body_timeout is 60 s). Default 30 s. */
        public Builder clientBodyTimeout(Duration timeout) {
            guard.bodyTimeout(timeout);
            return this;
        }

        /** Client connections open at most; more are refused with 503. Default {@link GuardConfig#defaultMaxConnections()}. */
        public Builder maxClientConnections(int connections) {
            guard.maxConnections(connections);
            return this;
        }

        /** Client connections from one address at most; more are refused with 503. Default {@value GuardConfig#DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}. */
        public Builder maxClientConnectionsPerAddress(int connections) {
            guard.maxConnectionsPerAddress(connections);
            return this;
        }

        /** The request line and headers together; beyond it 431. Default 8 KiB (nginx's large_client_header_buffers). */
        public Builder maxHeaderBytes(int bytes) {
            if (bytes < 1024 || bytes > 1024 * 1024) {
                throw new IllegalArgumentException("max header bytes must be between 1 KiB and 1 MiB, was " + bytes);
            }
            this.maxHeaderBytes = bytes;
            return this;
        }

        /** A request body's limit; beyond it 413. Default 1 MiB (nginx's client_max_body_size). */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 0 || bytes > 256 * 1024 * 1024) {
                throw new IllegalArgumentException("max body bytes must be between 0 and 256 MiB, was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /** Tries of an idempotent request, the first included, each on another backend; 1 for no retries. Default {@value #DEFAULT_ATTEMPTS}. */
        public Builder attempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException("attempts must be between 1 (no retries) and 10, was " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /** Open connections per backend and event loop, at most. Default {@value #DEFAULT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int connections) {
            if (connections < 1 || connections > 10_000) {
                throw new IllegalArgumentException("max connections per backend must be between 1 and 10000, was " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** Requests waiting for a connection to a backend, at most; beyond it 503 at once. Default {@value #DEFAULT_MAX_PENDING}. */
        public Builder maxPending(int requests) {
            if (requests < 0 || requests > 1_000_000) {
                throw new IllegalArgumentException("max pending requests per backend must be between 0 and 1000000, was " + requests);
            }
            this.maxPending = requests;
            return this;
        }

        /**
         * A pooled connection idle this long is closed by the edge. Keep it below the backends' own keep-alive timeout,
         * so that the edge, not the backend, closes idle connections and never sends on one being closed. Default 30 s.
         */
        public Builder poolIdleTimeout(Duration timeout) {
            this.poolIdleTimeout = checkPositive("pool idle timeout", timeout);
            return this;
        }

        /** A pooled connection is retired after this long, so that backends see new connections (and rebalance). Default 10 min. */
        public Builder poolMaxLifetime(Duration lifetime) {
            this.poolMaxLifetime = checkPositive("pool max lifetime", lifetime);
            return this;
        }

        /**
         * A rate limit every request must pass before it is forwarded (else 429 with Retry-After); repeat for a hierarchy,
         * most specific first, e.g. {@code client} keyed by address, then {@code global} keyed by {@code all}. Keyed by
         * {@code route}, a level has a bucket per cluster routed to. The name shows in the RateLimit headers.
         */
        public Builder rateLimit(String name, RateLimit limit) {
            RateLimiter.builder().level(name, limit); // the name checked now
            if (rateLimits.putIfAbsent(name, limit) != null) {
                throw new IllegalArgumentException("two rate limits are named '" + name + "'");
            }
            return this;
        }

        /** Keeps the rate limits' buckets in this Redis ({@code redis://HOST:PORT}), shared by every edge using it: global limits. */
        public Builder rateLimitRedis(String url) {
            RateLimiter.builder().redis(url); // checked now
            this.rateLimitRedis = url;
            return this;
        }

        public EdgeConfig build() {
            if (rateLimitRedis != null && rateLimits.isEmpty()) {
                throw new IllegalArgumentException("a Redis for rate limits needs a rate limit (give --rate-limit RATE)");
            }
            if (clusters.isEmpty()) {
                throw new IllegalArgumentException("the edge needs at least one cluster (give --backend URL)");
            }
            if (routes.isEmpty()) {
                if (clusters.size() > 1) {
                    throw new IllegalArgumentException("with several clusters, routes must say which requests go where");
                }
                routes.add(new Route(null, "/", clusters.keySet().iterator().next()));
            }
            for (Route r : routes) {
                if (!clusters.containsKey(r.cluster())) {
                    throw new IllegalArgumentException("a route names cluster '" + r.cluster() + "', and there is none; the clusters are "
                            + String.join(", ", clusters.keySet()));
                }
            }
            if (port != 0 && port == adminPort) {
                throw new IllegalArgumentException("the admin port must differ from the port, both were " + port);
            }
            clientGuard = guard.build();
            return new EdgeConfig(this);
        }

        private static int checkPort(String name, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be between 0 (any free one) and 65535, was " + port);
            }
            return port;
        }

        private static Duration checkPositive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero() || d.toMillis() < 1) {
                throw new IllegalArgumentException(name + " must be at least 1 ms, was " + d);
            }
            return d;
        }
    }
}
