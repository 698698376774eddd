package dev.headroom.shop;

import dev.headroom.edge.auth.AdminToken;
import dev.headroom.edge.guard.GuardConfig;
import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.orders.OrderListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the shop needs to start. Built with {@link #builder()}; each setter validates at once,
 * rules that span settings are checked in {@link Builder#build()}.
 */
public final class ShopConfig {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;
    public static final long DEFAULT_L1_ENTRIES = 10_000;
    /**
     * With the {@code http} switch, smaller bodies go out uncompressed: they fit one TCP segment either way, and the
     * encoder's CPU and the {@code Content-Encoding} header would cost more than the bytes saved.
     */
    public static final int COMPRESSION_MIN_BYTES = 1024;

    private final String host;
    private final int port;
    private final boolean portFallback;
    private final Switches switches;
    private final String jdbcUrl;
    private final String dbUser;
    private final String dbPassword;
    private final String redisUri;
    private final int poolSize;
    private final Duration shutdownGrace;
    private final int maxInFlight;
    private final long l1Entries;
    private final boolean warmOnStart;
    private final List<String> replicaUrls;
    private final RateLimit rateLimit;
    private final OrderListener orderListener;
    private final String adminToken;
    private final GuardConfig connectionGuard;

    private ShopConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.portFallback = b.portFallback;
        this.switches = b.cache == null ? b.switches : b.switches.withCache(b.cache);
        this.jdbcUrl = b.jdbcUrl;
        this.dbUser = b.dbUser;
        this.dbPassword = b.dbPassword;
        this.redisUri = b.redisUri;
        this.poolSize = b.poolSize > 0 ? b.poolSize : formulaPoolSize(Runtime.getRuntime().availableProcessors(), 1);
        this.shutdownGrace = b.shutdownGrace;
        this.maxInFlight = b.maxInFlight;
        this.l1Entries = b.l1Entries;
        this.warmOnStart = b.warmOnStart;
        this.replicaUrls = b.replicaUrls;
        this.rateLimit = b.rateLimit;
        this.orderListener = b.orderListener;
        this.adminToken = b.adminToken;
        this.connectionGuard = b.connectionGuard != null ? b.connectionGuard : GuardConfig.defaults();
    }

    /**
     * The pool size from the well-known formula {@code connections = cores * 2 + effective spindles}
     * (PostgreSQL wiki, "Number Of Database Connections"): enough to keep cores busy while others wait on I/O.
     */
    public static int formulaPoolSize(int cores, int spindles) {
        return cores * 2 + spindles;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() { return host; }
    public int port() { return port; }
    /** When the port is taken, try the next ones instead of failing. */
    public boolean portFallback() { return portFallback; }
    /** The optimizations this shop runs with. */
    public Switches switches() { return switches; }
    public boolean has(Switch s) { return switches.has(s); }
    public String jdbcUrl() { return jdbcUrl; }
    public String dbUser() { return dbUser; }
    public String dbPassword() { return dbPassword; }
    public String redisUri() { return redisUri; }
    public int poolSize() { return poolSize; }
    public Duration shutdownGrace() { return shutdownGrace; }
    public int maxInFlight() { return maxInFlight; }
    /** What reads go through: {@code l1+l2} by default in the optimized profile, nothing in the baseline. */
    public CacheMode cache() { return switches.cache(); }
    /** Each L1's size, per cached entity and node. */
    public long l1Entries() { return l1Entries; }
    /** Whether {@link Shop#warmCaches} will run after the start: readiness waits for it. */
    public boolean warmOnStart() { return warmOnStart; }

    /** JDBC URLs of the primary's streaming replicas (same user and password), read with the {@code replicas} switch. */
    public List<String> replicaUrls() { return replicaUrls; }

    /** Requests admitted per client, counted in Redis across nodes; null (the default) for no limit. */
    public RateLimit rateLimit() { return rateLimit; }
    /** Told of every committed order ({@link OrderListener#NONE} by default). */
    public OrderListener orderListener() { return orderListener; }
    /** The bearer token admin writes ({@code PATCH /products/{id}}) must carry: the one given, else a random one. */
    public String adminToken() { return adminToken; }
    /** Header, body and keep-alive timeouts and connection limits of the HTTP server ({@link GuardConfig#defaults()} by default). */
    public GuardConfig connectionGuard() { return connectionGuard; }

    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private boolean portFallback = true;
        private Switches switches = Profile.OPTIMIZED.switches();
        private String jdbcUrl;
        private String dbUser = "postgres";
        private String dbPassword = "";
        private String redisUri;
        private int poolSize;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private CacheMode cache;
        private long l1Entries = DEFAULT_L1_ENTRIES;
        private boolean warmOnStart;
        private List<String> replicaUrls = List.of();
        private RateLimit rateLimit;
        private OrderListener orderListener = OrderListener.NONE;
        private String adminToken;
        private GuardConfig connectionGuard;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** 0 picks any free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        public Builder portFallback(boolean on) {
            this.portFallback = on;
            return this;
        }

        /** A named set of switches (the default: optimized). */
        public Builder profile(Profile profile) {
            return switches(Objects.requireNonNull(profile, "profile").switches());
        }

        /** Any set of optimizations; {@link #cache} given before or after overrides its cache mode. */
        public Builder switches(Switches switches) {
            this.switches = Objects.requireNonNull(switches, "switches");
            return this;
        }

        public Builder database(String jdbcUrl, String user, String password) {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new IllegalArgumentException("database url must start with jdbc:postgresql://, was '" + jdbcUrl + "'");
            }
            this.jdbcUrl = jdbcUrl;
            this.dbUser = user;
            this.dbPassword = password == null ? "" : password;
            return this;
        }

        public Builder redis(String uri) {
            if (uri == null || !uri.startsWith("redis://")) {
                throw new IllegalArgumentException("redis url must start with redis://, was '" + uri + "'");
            }
            this.redisUri = uri;
            return this;
        }

        /** 0 (the default) sizes the pool from {@link #formulaPoolSize(int, int)}. */
        public Builder poolSize(int size) {
            if (size < 0 || size > 1000) {
                throw new IllegalArgumentException("pool size must be between 1 and 1000 (0 = cores * 2 + 1), was " + size);
            }
            this.poolSize = size;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("shutdown grace must not be negative, was " + grace);
            }
            this.shutdownGrace = grace;
            return this;
        }

        /** Requests being served at once; more are refused with 503 and Retry-After. */
        public Builder maxInFlight(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("max in flight must be at least 1, was " + max);
            }
            this.maxInFlight = max;
            return this;
        }

        /** Which caches reads go through, whatever the switches say (default: theirs). */
        public Builder cache(CacheMode mode) {
            this.cache = Objects.requireNonNull(mode, "cache mode");
            return this;
        }

        /** The caller will warm the caches after the start ({@link Shop#warmCaches}); not ready until then. */
        public Builder warmOnStart(boolean on) {
            this.warmOnStart = on;
            return this;
        }

        public Builder l1Entries(long entries) {
            if (entries < 1 || entries > 100_000_000) {
                throw new IllegalArgumentException("L1 entries must be between 1 and 100000000, was " + entries);
            }
            this.l1Entries = entries;
            return this;
        }

        /** The primary's streaming replicas, each {@code jdbc:postgresql://...}; reads go to them with the {@code replicas} switch. */
        public Builder replicas(List<String> jdbcUrls) {
            for (String url : jdbcUrls) {
                if (url == null || !url.startsWith("jdbc:postgresql://")) {
                    throw new IllegalArgumentException("replica url must start with jdbc:postgresql://, was '" + url + "'");
                }
            }
            this.replicaUrls = List.copyOf(jdbcUrls);
            return this;
        }

        /** A per-client rate limit, e.g. {@code RateLimit.parse("100/s,key=header:X-Api-Key")}; null for none (the default). */
        public Builder rateLimit(RateLimit limit) {
            this.rateLimit = limit;
            return this;
        }

        /** Told of every committed order, e.g. to count it in analytics; see {@link OrderListener}. */
        public Builder orderListener(OrderListener listener) {
            this.orderListener = Objects.requireNonNull(listener, "order listener (OrderListener.NONE for none)");
            return this;
        }

        /**
         * The token admin writes must carry as {@code Authorization: Bearer TOKEN}. Default: a random one, read back with
         * {@link ShopConfig#adminToken()}; admin writes are never open.
         *
         * @throws IllegalArgumentException unless it is at least 8 printable ASCII characters without spaces
         */
        public Builder adminToken(String token) {
            this.adminToken = AdminToken.of(token).value();
            return this;
        }

        /** Slow and idle clients are cut, connections limited, as these settings say; see {@link GuardConfig} for the defaults. */
        public Builder connectionGuard(GuardConfig guard) {
            this.connectionGuard = Objects.requireNonNull(guard, "connection guard (GuardConfig.defaults() for the defaults)");
            return this;
        }

        public ShopConfig build() {
            if (jdbcUrl == null) {
                throw new IllegalStateException("database(url, user, password) must be set");
            }
            if (redisUri == null) {
                throw new IllegalStateException("redis(uri) must be set");
            }
            if (adminToken == null) {
                adminToken = AdminToken.random().value(); // kept: every config this builder builds shares one token
            }
            return new ShopConfig(this);
        }
    }
}
