package dev.headroom.cache;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * Configuration of a {@link TieredCache}, from {@link TieredCache#builder}. Each setter checks its value
 * at once and names its property in the message ({@code "leaseWait must be positive, was -1 ms"});
 * rules that span settings are checked by {@link #build()}, with messages that say what to change.
 * Every default is a {@code DEFAULT_} constant below. Not thread-safe: build a cache from one thread.
 */
public final class TieredCacheBuilder<K, V> {
    /** {@link #l2Timeout}: 100 ms. */
    public static final Duration DEFAULT_L2_TIMEOUT = Duration.ofMillis(100);
    /** {@link #negativeTtl}: 5 s. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
    /** {@link #ttlJitter}: 0.1, each TTL drawn from {@code ttl × [0.9, 1.1]}. */
    public static final double DEFAULT_TTL_JITTER = 0.1;
    /** {@link #heartbeat}: 1 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    /** {@link #leases}' {@code ttl}: 5 s. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(5);
    /** {@link #leases}' {@code wait}: 200 ms. */
    public static final Duration DEFAULT_LEASE_WAIT = Duration.ofMillis(200);
    /**
     * {@link #l2Breaker}: over the last 20 L2 commands (once 10 have run), open at a 50 % failure rate;
     * after 2 s open, let 3 trial commands decide whether to close again.
     */
    public static final CircuitBreakerConfig DEFAULT_L2_BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(2))
            .permittedNumberOfCallsInHalfOpenState(3)
            .build();
    /**
     * {@link #executor}: Caffeine's own default, {@code ForkJoinPool.commonPool()}, named here so that it is a
     * choice, not a hidden pool. It keeps the upkeep off the reader (run on the reader, each read-buffer drain
     * costs an L1 hit about 24 ns of CPU). On 2 cores the pool has one thread: a task that blocks there (a
     * sleeping timer, a {@code supplyAsync} without an executor) holds the upkeep back, so pass an executor of
     * your own when the application uses the common pool for such work; see docs/conventions.md.
     */
    public static final Executor DEFAULT_EXECUTOR = ForkJoinPool.commonPool();
    /** {@link #ticker}: {@link Ticker#system()}. */
    public static final Ticker DEFAULT_TICKER = Ticker.system();

    // read by TieredCache's constructor
    final String name;
    final Codec<V> codec;
    long l1MaxEntries;
    Duration l1Ttl;
    RedisClient l2Client;
    Duration l2Ttl;
    Duration l2Timeout = DEFAULT_L2_TIMEOUT;
    Duration negativeTtl = DEFAULT_NEGATIVE_TTL;
    double jitter = DEFAULT_TTL_JITTER;
    Function<String, K> parseKey;
    boolean incoherentL1;
    Duration heartbeat = DEFAULT_HEARTBEAT;
    Duration leaseTtl = DEFAULT_LEASE_TTL;
    Duration leaseWait = DEFAULT_LEASE_WAIT;
    boolean recordStats;
    int maxConcurrentLoads;
    double refreshBeta;
    Duration staleGrace = Duration.ZERO;
    boolean lruL1;
    boolean coalescing = true;
    RedisClient busClient;
    CircuitBreakerConfig l2Breaker = DEFAULT_L2_BREAKER;
    Executor executor = DEFAULT_EXECUTOR;
    Ticker ticker = DEFAULT_TICKER;

    TieredCacheBuilder(String name, Codec<V> codec) {
        this.name = Checks.name(" (it prefixes Redis keys)", name);
        this.codec = Checks.notNull("codec", codec);
    }

    /**
     * Counts L1 hits too ({@link CacheStats#l1Hits}; -1 without). Off by default, as in Caffeine: it is
     * Caffeine's striped counter, a few nanoseconds on every hit. Misses and everything else are always counted.
     */
    public TieredCacheBuilder<K, V> recordStats() {
        this.recordStats = true;
        return this;
    }

    /**
     * At most {@code n} loader calls at once in this instance; more wait, in arrival order. Off by
     * default. Single flight already merges misses on one key; this bounds misses on different keys,
     * which all reach the database when L2 is down or cold.
     *
     * @throws IllegalArgumentException when {@code n} is below 1
     */
    public TieredCacheBuilder<K, V> maxConcurrentLoads(int n) {
        this.maxConcurrentLoads = (int) Checks.atLeast("maxConcurrentLoads", 1, n);
        return this;
    }

    /**
     * Refresh-ahead for L2 entries by XFetch: a reader that finds a value close to its expiry reloads
     * it early with a probability that grows as expiry nears and with the recorded load time, times
     * {@code beta} (1 is the paper's choice; larger refreshes earlier). While it reloads, other readers
     * keep getting the current value. Off by default; needs L2.
     *
     * @throws IllegalArgumentException when {@code beta} is not in (0, 100]
     */
    public TieredCacheBuilder<K, V> refreshAhead(double beta) {
        if (!(beta > 0 && beta <= 100)) {
            throw new IllegalArgumentException("refreshAhead must be in (0, 100], was " + beta);
        }
        this.refreshBeta = beta;
        return this;
    }

    /**
     * Keeps L2 values {@code grace} past their expiry. A reader that finds one reloads it; readers that
     * would wait for that reload (in this instance, or in another one holding the lease) get the
     * expired value instead, at most {@code grace} past its TTL. A reload that fails also answers with
     * it. Writes and invalidations delete the value as before, so nothing is served stale after a write.
     * Off by default (no grace); needs L2.
     */
    public TieredCacheBuilder<K, V> serveStale(Duration grace) {
        this.staleGrace = Checks.positive("serveStale", grace);
        return this;
    }

    /** L1: at most {@code maxEntries} in this JVM, each for {@code ttl}, the bound on how stale an L1 answer can be. */
    public TieredCacheBuilder<K, V> l1(long maxEntries, Duration ttl) {
        this.l1MaxEntries = Checks.atLeast("l1MaxEntries", 1, maxEntries);
        this.l1Ttl = Checks.positive("l1Ttl", ttl);
        return this;
    }

    /**
     * A plain LRU L1 (one lock, every miss admitted) instead of Caffeine's W-TinyLFU, to compare the two
     * on the same workload; slower and with lower hit ratios on skewed traffic. L1 hits are then always counted.
     */
    public TieredCacheBuilder<K, V> lruL1() {
        this.lruL1 = true;
        return this;
    }

    /**
     * Turns off stampede protection, to measure what it saves: concurrent misses on one key each call
     * the loader (only the first stores its value), and no Redis lease is taken.
     */
    public TieredCacheBuilder<K, V> noCoalescing() {
        this.coalescing = false;
        return this;
    }

    /** L2: Redis through {@code client} (the cache opens its own connection), each entry for {@code ttl}. */
    public TieredCacheBuilder<K, V> l2(RedisClient client, Duration ttl) {
        this.l2Client = Checks.notNull("l2Client", client);
        this.l2Ttl = Checks.positive("l2Ttl", ttl);
        return this;
    }

    /** How long an L2 command may take before the cache goes on without L2. Default {@link #DEFAULT_L2_TIMEOUT}. */
    public TieredCacheBuilder<K, V> l2Timeout(Duration timeout) {
        this.l2Timeout = Checks.positive("l2Timeout", timeout);
        return this;
    }

    /**
     * The L2 circuit breaker's settings (Resilience4j), e.g.
     * {@code CircuitBreakerConfig.from(DEFAULT_L2_BREAKER).waitDurationInOpenState(Duration.ofSeconds(10)).build()}.
     * The cache decides two things itself: what counts as a failure (an L2 command that failed or timed out)
     * and the clock (its {@link #ticker}). Default {@link #DEFAULT_L2_BREAKER}.
     *
     * @throws IllegalArgumentException when the config moves from open to half-open by itself: Resilience4j
     *                                  would start a scheduler thread of its own for that
     */
    public TieredCacheBuilder<K, V> l2Breaker(CircuitBreakerConfig config) {
        Checks.notNull("l2Breaker", config);
        if (config.isAutomaticTransitionFromOpenToHalfOpenEnabled()) {
            throw new IllegalArgumentException("l2Breaker must not enable automaticTransitionFromOpenToHalfOpen (it starts"
                    + " a scheduler thread): an open breaker tries again on the first L2 command after its wait");
        }
        this.l2Breaker = config;
        return this;
    }

    /** How long "absent" is remembered in both tiers. Default {@link #DEFAULT_NEGATIVE_TTL}. */
    public TieredCacheBuilder<K, V> negativeTtl(Duration ttl) {
        this.negativeTtl = Checks.positive("negativeTtl", ttl);
        return this;
    }

    /** Each TTL is drawn uniformly from {@code ttl × (1 ± jitter)}. Default {@link #DEFAULT_TTL_JITTER}; 0 turns it off. */
    public TieredCacheBuilder<K, V> ttlJitter(double jitter) {
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("ttlJitter must be at least 0 and below 1, was " + jitter);
        }
        this.jitter = jitter;
        return this;
    }

    /**
     * Keeps the L1s of all instances coherent: a write or invalidation in one instance removes the key
     * from the others' L1s within the pub/sub delay; a lost message or a dropped subscription is
     * detected and flushes the L1 that may have missed it (see {@code InvalidationBus}). Keys travel as
     * {@code String.valueOf(key)}; {@code parseKey} turns them back, e.g. {@code Long::valueOf}.
     * Required when both tiers are on, unless {@link #incoherentL1()} says otherwise.
     */
    public TieredCacheBuilder<K, V> invalidations(Function<String, K> parseKey) {
        this.parseKey = Checks.notNull("parseKey", parseKey);
        return this;
    }

    /**
     * Keeps the L1s of instances that share no L2 coherent, over the pub/sub of {@code client}'s Redis:
     * as {@link #invalidations(Function)}, for an L1-only cache.
     */
    public TieredCacheBuilder<K, V> invalidations(RedisClient client, Function<String, K> parseKey) {
        this.busClient = Checks.notNull("invalidationsClient", client);
        return invalidations(parseKey);
    }

    RedisClient busClient() {
        return busClient != null ? busClient : l2Client;
    }

    /**
     * L2 misses take a lease in Redis before loading, so that across all instances one loads and the
     * others wait up to {@code wait} for its value (then load without writing L2). The lease lasts
     * {@code ttl}: longer than a load takes. A delete voids it: a loader that read the database before a
     * write cannot write its old value back after it. Defaults {@link #DEFAULT_LEASE_TTL},
     * {@link #DEFAULT_LEASE_WAIT}; the properties are {@code leaseTtl} and {@code leaseWait}.
     */
    public TieredCacheBuilder<K, V> leases(Duration ttl, Duration wait) {
        this.leaseTtl = Checks.positive("leaseTtl", ttl);
        this.leaseWait = Checks.positive("leaseWait", wait);
        return this;
    }

    /**
     * How often each instance repeats its latest invalidation number, bounding how long a lost last message
     * goes unnoticed. Runs on the Redis client's event executors. Default {@link #DEFAULT_HEARTBEAT}.
     */
    public TieredCacheBuilder<K, V> heartbeat(Duration every) {
        this.heartbeat = Checks.positive("heartbeat", every);
        return this;
    }

    /** Both tiers, no invalidations between instances: a value changed elsewhere is served from L1 until its L1 TTL ends. */
    public TieredCacheBuilder<K, V> incoherentL1() {
        this.incoherentL1 = true;
        return this;
    }

    /**
     * Runs L1 upkeep (Caffeine's buffer drains and evictions): short tasks that never block. An executor
     * that delays them leaves reads unrecorded and admission worse; {@code Runnable::run} runs them on the
     * reader, at some cost per hit. The cache starts no thread of its own. Default {@link #DEFAULT_EXECUTOR}.
     */
    public TieredCacheBuilder<K, V> executor(Executor executor) {
        this.executor = Checks.notNull("executor", executor);
        return this;
    }

    /**
     * The source of every time the cache reads: expiry in both tiers, refresh-ahead, load durations, lease
     * waits, the L2 breaker, invalidation stamps. For tests; see {@link Ticker}. Default {@link #DEFAULT_TICKER}.
     */
    public TieredCacheBuilder<K, V> ticker(Ticker ticker) {
        this.ticker = Checks.notNull("ticker", ticker);
        return this;
    }

    /** @throws IllegalArgumentException when the settings contradict each other; the message says which call to add */
    public TieredCache<K, V> build() {
        if (l1MaxEntries == 0 && l2Client == null) {
            throw new IllegalArgumentException("cache '" + name + "' has no tier: call l1(...), l2(...) or both");
        }
        if (l1MaxEntries > 0 && l2Client != null && parseKey == null && !incoherentL1) {
            throw new IllegalArgumentException("cache '" + name + "' has L1 and L2: call invalidations(parseKey), e.g."
                    + " invalidations(Long::valueOf), so instances drop what another one changed; or incoherentL1()"
                    + " to accept L1 answers up to the L1 TTL old");
        }
        if (!staleGrace.isZero() && l2Client == null) {
            throw new IllegalArgumentException("cache '" + name + "': serveStale(...) keeps L2 entries past expiry, so it needs l2(...)");
        }
        if (refreshBeta > 0 && l2Client == null) {
            throw new IllegalArgumentException("cache '" + name + "': refreshAhead(...) refreshes L2 entries, so it needs l2(...)");
        }
        if (parseKey != null && l1MaxEntries == 0) {
            throw new IllegalArgumentException("cache '" + name + "': invalidations(...) keep L1s coherent, so they need l1(...)");
        }
        if (parseKey != null && busClient() == null) {
            throw new IllegalArgumentException("cache '" + name + "' has no L2 to carry invalidations:"
                    + " use invalidations(redisClient, parseKey) to name the Redis that carries them");
        }
        if (lruL1 && l1MaxEntries == 0) {
            throw new IllegalArgumentException("cache '" + name + "': lruL1() changes L1's eviction, so it needs l1(...)");
        }
        return new TieredCache<>(this);
    }
}
