package dev.headroom.edge.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Decides, per request, whether it may pass a hierarchy of limits: e.g. per client within per route within one for
 * everything. A request passes when every level has a token for it. Levels are asked in the order given, most
 * specific first; when one refuses, the tokens the levels before it took are given back, so a refused request
 * costs no other level anything (the levels after it are not asked).
 *
 * <p>Buckets are local (this process, {@link Builder#maxKeys}) or, with {@link Builder#redis}, in Redis, shared by
 * every limiter (every edge) pointed at the same Redis. {@link #check} never blocks: its stage completes at once for
 * local buckets and when Redis answers for shared ones, on Lettuce's thread. When Redis cannot be reached, the
 * request passes (fail open: a rate limit protects capacity, and refusing everything while Redis is away would do
 * more harm than the limit prevents), {@link #failures()} counts it and a warning is logged at most every 10 s.
 * Thread-safe.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder()
 *         .level("client", RateLimit.parse("100/s,key=header:X-Api-Key"))
 *         .level("global", RateLimit.parse("5000/s,key=all"))
 *         .redis("redis://127.0.0.1:6379").build();
 * limiter.check(address, request.headers()::get, "shop").thenAccept(decision -> ...);
 * }</pre>
 */
public final class RateLimiter implements AutoCloseable {
    public static final int DEFAULT_MAX_KEYS = 100_000;
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(250);
    public static final String DEFAULT_PREFIX = "headroom:ratelimit:";
    private static final long WARN_EVERY_NANOS = 10_000_000_000L;
    private static final System.Logger LOG = System.getLogger(RateLimiter.class.getName());

    private final List<Level> levels;
    private final Buckets buckets;
    private final String policy;
    private final LongAdder admitted = new LongAdder();
    private final LongAdder[] refusedBy;
    private final LongAdder failures = new LongAdder();
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

    private RateLimiter(List<Level> levels, Buckets buckets) {
        this.levels = List.copyOf(levels);
        this.buckets = buckets;
        this.refusedBy = new LongAdder[levels.size()];
        for (int i = 0; i < refusedBy.length; i++) {
            refusedBy[i] = new LongAdder();
        }
        StringBuilder p = new StringBuilder();
        for (Level l : levels) {
            p.append(p.isEmpty() ? "" : ", ").append('"').append(l.name()).append("\";q=").append(l.limit().amount())
                    .append(";w=").append(l.limit().windowSeconds());
        }
        this.policy = p.toString();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Takes a token for the request from every level, or none.
     *
     * @param address the client's address
     * @param header  the request's header values by name (null when absent)
     * @param route   the route's name, for levels keyed by route
     */
    public CompletionStage<Decision> check(String address, Function<String, String> header, String route) {
        String[] keys = new String[levels.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = levels.get(i).limit().key().of(address, header, route);
        }
        return step(0, keys, new ConsumptionProbe[keys.length]);
    }

    private CompletionStage<Decision> step(int i, String[] keys, ConsumptionProbe[] probes) {
        if (i == keys.length) {
            admitted.increment();
            return CompletableFuture.completedFuture(new Decision(levels, probes, -1, policy));
        }
        Level level = levels.get(i);
        CompletionStage<ConsumptionProbe> taken;
        try {
            taken = buckets.take(level, keys[i]);
        } catch (RuntimeException e) {
            taken = CompletableFuture.failedFuture(e);
        }
        return taken.handle((probe, failure) -> {
            if (failure != null) {
                failed(level, failure);
                return null; // this level could not say: it passes, and shows no state
            }
            return probe;
        }).thenCompose(probe -> {
            probes[i] = probe;
            if (probe != null && !probe.isConsumed()) {
                refusedBy[i].increment();
                for (int j = 0; j < i; j++) {
                    ConsumptionProbe given = probes[j];
                    if (given != null) {
                        giveBack(levels.get(j), keys[j]);
                        probes[j] = ConsumptionProbe.consumed(given.getRemainingTokens() + 1, given.getNanosToWaitForReset());
                    }
                }
                return CompletableFuture.completedFuture(new Decision(levels, probes, i, policy));
            }
            return step(i + 1, keys, probes);
        });
    }

    private void giveBack(Level level, String key) {
        try {
            buckets.giveBack(level, key);
        } catch (RuntimeException e) {
            failed(level, e); // the token stays taken: the limit errs towards admitting less
        }
    }

    private void failed(Level level, Throwable failure) {
        failures.increment();
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "rate limit '" + level.name() + "' admits requests unchecked: its buckets cannot be reached ("
                    + failure + "); " + failures.sum() + " so far");
        }
    }

    /** The levels, most specific first. */
    public List<String> levels() {
        return levels.stream().map(l -> l.name() + " " + l.limit()).toList();
    }

    public long admitted() {
        return admitted.sum();
    }

    /** Requests refused by the level named, or by any when null. */
    public long refused(String level) {
        long sum = 0;
        for (int i = 0; i < refusedBy.length; i++) {
            if (level == null || levels.get(i).name().equals(level)) {
                sum += refusedBy[i].sum();
            }
        }
        return sum;
    }

    /** Level checks that could not reach the buckets (Redis down or slow) and let the request pass. */
    public long failures() {
        return failures.sum();
    }

    @Override
    public void close() {
        buckets.close();
    }

    public static final class Builder {
        private final List<Level> levels = new ArrayList<>();
        private String redisUrl;
        private String prefix = DEFAULT_PREFIX;
        private Duration timeout = DEFAULT_REDIS_TIMEOUT;
        private int maxKeys = DEFAULT_MAX_KEYS;
        private LongSupplier clock;

        private Builder() {
        }

        /** A level, after those given before (give the most specific first). */
        public Builder level(String name, RateLimit limit) {
            if (name == null || !name.matches("[A-Za-z0-9_.-]{1,32}")) {
                throw new IllegalArgumentException("a rate limit level's name must be 1 to 32 letters, digits, '_', '.' or '-', was '" + name + "'");
            }
            if (levels.stream().anyMatch(l -> l.name().equals(name))) {
                throw new IllegalArgumentException("two rate limit levels are named '" + name + "'");
            }
            levels.add(Level.of(name, java.util.Objects.requireNonNull(limit, "limit")));
            return this;
        }

        /** Buckets in this Redis ({@code redis://HOST:PORT}), shared with every limiter using it and the same prefix. */
        public Builder redis(String url) {
            if (url == null || !(url.startsWith("redis://") || url.startsWith("rediss://"))) {
                throw new IllegalArgumentException("the rate limits' Redis must be a URL like redis://127.0.0.1:6379, was '" + url + "'");
            }
            this.redisUrl = url;
            return this;
        }

        /** What the Redis keys start with. Default {@value #DEFAULT_PREFIX}. */
        public Builder prefix(String prefix) {
            if (prefix == null || prefix.isEmpty()) {
                throw new IllegalArgumentException("the rate limits' key prefix must not be empty");
            }
            this.prefix = prefix;
            return this;
        }

        /** How long a Redis command may take before the request passes unchecked. Default 250 ms. */
        public Builder redisTimeout(Duration timeout) {
            if (timeout == null || timeout.toMillis() < 1 || timeout.toSeconds() > 60) {
                throw new IllegalArgumentException("the rate limits' Redis timeout must be between 1 ms and 60 s, was " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Local buckets kept at most, least recently used dropped first. Default {@value #DEFAULT_MAX_KEYS}. */
        public Builder maxKeys(int keys) {
            if (keys < 1 || keys > 100_000_000) {
                throw new IllegalArgumentException("max keys must be between 1 and 100000000, was " + keys);
            }
            this.maxKeys = keys;
            return this;
        }

        /** The local buckets' clock, in nanoseconds (tests give a fake one). Default {@link System#nanoTime()}. */
        public Builder clock(LongSupplier nanos) {
            this.clock = java.util.Objects.requireNonNull(nanos, "clock");
            return this;
        }

        /** @throws IllegalStateException if Redis was given and cannot be reached now */
        public RateLimiter build() {
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("a rate limiter needs at least one level, e.g. level(\"client\", RateLimit.parse(\"100/s\"))");
            }
            if (redisUrl != null && clock != null) {
                throw new IllegalArgumentException("a clock is for local buckets: Redis-backed buckets use Bucket4j's own time");
            }
            Buckets b = redisUrl == null ? new LocalBuckets(maxKeys, clock) : RedisBuckets.connect(redisUrl, prefix, timeout);
            return new RateLimiter(levels, b);
        }
    }
}
