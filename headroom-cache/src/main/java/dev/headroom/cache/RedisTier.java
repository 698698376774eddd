package dev.headroom.cache;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The L2 tier: one Redis connection of the cache's own, keys under {@code NAME:}. A stored value
 * starts with a tag byte, so "known to be absent" (negative caching) survives the trip through Redis.
 * Every command waits at most the tier's timeout; a failure is an {@link L2Failure} for the cache to
 * count and route around, never a failed read. A circuit breaker (Resilience4j, configured by the
 * builder's {@code l2Breaker}) stops asking a Redis that keeps failing: while it is open, commands fail
 * at once instead of each costing the timeout, and a few trial commands after its wait in the open
 * state find out whether Redis is back. The breaker reads the cache's {@link Time}; command timeouts
 * are real time (a fake ticker cannot make Redis answer sooner). Thread-safe.
 */
final class RedisTier<V> implements AutoCloseable {
    private static final byte VALUE = 'v';
    /** Tag, expiry (epoch ms, 8 bytes), load time (ms, 4 bytes). */
    private static final int HEADER = 1 + 8 + 4;
    private static final byte ABSENT = 'n';

    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> redis;
    private final String prefix;
    private final String leasePrefix;
    private final Codec<V> codec;
    private final long timeoutNanos;
    /** How long a value stays in Redis after its (logical) expiry, to be served stale while it reloads. */
    private final long staleGraceNanos;
    private final CircuitBreaker breaker;
    private final Time time;
    private volatile String lastFailure;

    /**
     * @param breakerConfig the builder's; the cache adds what it must decide itself: the breaker counts
     *                      {@link L2Failure}s (the only failure a command reports) and reads {@code time}
     */
    RedisTier(RedisClient client, String name, Codec<V> codec, long timeoutNanos, long staleGraceNanos,
              CircuitBreakerConfig breakerConfig, Time time) {
        this.staleGraceNanos = staleGraceNanos;
        this.time = time;
        this.connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        this.redis = connection.async();
        this.prefix = name + ":";
        this.leasePrefix = "lease:" + name + ":";
        this.codec = codec;
        this.timeoutNanos = timeoutNanos;
        this.breaker = CircuitBreaker.of("headroom-cache-" + name, CircuitBreakerConfig.from(breakerConfig)
                .recordExceptions(L2Failure.class)
                .clock(time.clock())
                .build());
    }

    /**
     * The breaker's state as the cache reports it: whether Redis is asked. Resilience4j's manual states
     * (which nothing in the cache enters) map to what they do: FORCED_OPEN asks nothing, DISABLED and
     * METRICS_ONLY ask always.
     */
    CacheStats.BreakerState breakerState() {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> CacheStats.BreakerState.CLOSED;
            case OPEN, FORCED_OPEN -> CacheStats.BreakerState.OPEN;
            case HALF_OPEN -> CacheStats.BreakerState.HALF_OPEN;
        };
    }

    /** Thrown when Redis did not answer in time or answered with an error. */
    static final class L2Failure extends RuntimeException {
        L2Failure(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    String key(Object key) {
        return prefix + key;
    }

    /** The lease on a value key: who may write it back after a miss (memcache-style leases). */
    private String leaseKey(String key) {
        return leasePrefix + key.substring(prefix.length());
    }

    /**
     * What L2 holds for a key: the value ({@link TieredCache#ABSENT} when known to be absent), when it
     * expires, and how long its load took (for probabilistic early refresh). Null when L2 lacks the key.
     */
    record Hit(Object value, long expiresAtMillis, long loadMillis) {
    }

    Hit get(String key) {
        byte[] bytes = await(() -> redis.get(key), "GET");
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        if (bytes[0] == ABSENT) {
            return new Hit(TieredCache.ABSENT, 0, 0);
        }
        if (bytes[0] != VALUE || bytes.length < HEADER) {
            return null; // not written by this version: a miss, and the next write replaces it
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 1, HEADER - 1);
        long expiresAt = header.getLong();
        long loadMillis = header.getInt();
        byte[] payload = new byte[bytes.length - HEADER];
        System.arraycopy(bytes, HEADER, payload, 0, payload.length);
        try {
            return new Hit(codec.decode(payload), expiresAt, loadMillis);
        } catch (RuntimeException unreadable) {
            return null; // e.g. written before the value's shape changed: a miss, and the load replaces it
        }
    }

    /**
     * An authoritative write (after the database changed): voids any lease first, so that a loader that
     * read the database before the change cannot write its older value over this one.
     */
    void put(String key, Object value, long ttlNanos, long loadMillis) {
        await(() -> redis.unlink(leaseKey(key)), "UNLINK");
        await(() -> redis.set(key, encode(value, ttlNanos, loadMillis), SetArgs.Builder.px(millis(kept(value, ttlNanos)))), "SET");
    }

    /**
     * Cache warming: each value is set only where the key holds nothing (a value already there is as new or
     * newer), all commands pipelined and awaited together. The number stored.
     */
    int warm(java.util.Map<String, Object> values, java.util.function.LongSupplier ttlNanos) {
        if (!breaker.tryAcquirePermission()) {
            throw new L2Failure("warming not started: the circuit breaker is open", null);
        }
        long start = time.nanos();
        long budgetStart = System.nanoTime(); // a bound on blocking, so real time (not the ticker)
        java.util.List<RedisFuture<String>> sets = new java.util.ArrayList<>(values.size());
        values.forEach((key, value) -> {
            long ttl = ttlNanos.getAsLong();
            sets.add(redis.set(key, encode(value, ttl, 0), SetArgs.Builder.nx().px(millis(kept(value, ttl)))));
        });
        long deadline = budgetStart + Math.max(timeoutNanos, TimeUnit.SECONDS.toNanos(5));
        int stored = 0;
        try {
            for (RedisFuture<String> set : sets) {
                if ("OK".equals(set.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))) {
                    stored++;
                }
            }
        } catch (TimeoutException | ExecutionException e) {
            throw failed(new L2Failure("warming failed after " + stored + " of " + values.size() + ": " + e, e), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(new L2Failure("warming interrupted", e), start);
        }
        breaker.onSuccess(time.nanos() - start, TimeUnit.NANOSECONDS);
        return stored;
    }

    /**
     * Takes the lease on a missing key for {@code ttlNanos}: the token to write back with, or null when
     * another loader holds it. Only the holder's write-back lands, and a delete voids the lease, so a
     * loader that read the database before a write cannot put its old value back after the write.
     */
    String tryLease(String key, long ttlNanos, String token) {
        String ok = await(() -> redis.set(leaseKey(key), token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                SetArgs.Builder.nx().px(millis(ttlNanos))), "SET NX");
        return "OK".equals(ok) ? token : null;
    }

    private static final String WRITE_IF_LEASED = """
            if redis.call('GET', KEYS[2]) == ARGV[2] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
              redis.call('DEL', KEYS[2])
              return 1
            end
            return 0""";

    /** Writes the value only if {@code token} still holds the key's lease; false when the lease was voided or expired. */
    boolean putIfLeased(String key, Object value, long ttlNanos, long loadMillis, String token) {
        Long done = await(() -> redis.eval(WRITE_IF_LEASED, ScriptOutputType.INTEGER, new String[] {key, leaseKey(key)},
                encode(value, ttlNanos, loadMillis), token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Long.toString(millis(kept(value, ttlNanos))).getBytes(java.nio.charset.StandardCharsets.UTF_8)), "EVAL");
        return done != null && done == 1;
    }

    private static final String RELEASE_IF_LEASED = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""";

    /** Gives up a lease that turned out not to be needed, if {@code token} still holds it. */
    void releaseLease(String key, String token) {
        await(() -> redis.eval(RELEASE_IF_LEASED, ScriptOutputType.INTEGER, new String[] {leaseKey(key)},
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "EVAL");
    }

    /** Deletes the value and voids any lease on it. */
    void delete(String key) {
        await(() -> redis.unlink(key, leaseKey(key)), "UNLINK");
    }

    @SuppressWarnings("unchecked")
    private byte[] encode(Object value, long ttlNanos, long loadMillis) {
        if (value == TieredCache.ABSENT) {
            return new byte[] {ABSENT};
        }
        byte[] payload = codec.encode((V) value);
        ByteBuffer bytes = ByteBuffer.allocate(HEADER + payload.length);
        bytes.put(VALUE).putLong(time.epochMillis() + millis(ttlNanos)).putInt((int) Math.min(Integer.MAX_VALUE, loadMillis));
        bytes.put(payload);
        return bytes.array();
    }

    /** How long Redis keeps an entry: its TTL, plus the stale grace for values (not for "absent"). */
    private long kept(Object value, long ttlNanos) {
        return value == TieredCache.ABSENT ? ttlNanos : ttlNanos + staleGraceNanos;
    }

    private static long millis(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    /** Deletes every key and lease of this cache, in batches (SCAN, not KEYS: Redis keeps serving meanwhile). */
    void deleteAll() {
        deleteMatching(prefix + "*");
        deleteMatching(leasePrefix + "*");
    }

    private void deleteMatching(String pattern) {
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(pattern).limit(1000);
        do {
            ScanCursor at = cursor;
            KeyScanCursor<String> page = await(() -> redis.scan(at, match), "SCAN");
            if (!page.getKeys().isEmpty()) {
                await(() -> redis.unlink(page.getKeys().toArray(String[]::new)), "UNLINK");
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** Remaining time to live of a key in milliseconds (for tests and diagnostics). */
    long ttlMillis(String key) {
        return await(() -> redis.pttl(key), "PTTL");
    }

    private <T> T await(java.util.function.Supplier<RedisFuture<T>> command, String name) {
        if (!breaker.tryAcquirePermission()) {
            throw new L2Failure(name + " not sent: the circuit breaker is open", null);
        }
        long start = time.nanos();
        RedisFuture<T> future = null;
        try {
            future = command.get();
            T result = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            breaker.onSuccess(time.nanos() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (TimeoutException e) {
            future.cancel(false);
            throw failed(new L2Failure(name + " timed out", e), start);
        } catch (ExecutionException e) {
            throw failed(new L2Failure(name + " failed: " + e.getCause().getMessage(), e.getCause()), start);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(new L2Failure(name + " interrupted", e), start);
        } catch (RuntimeException e) { // Lettuce refusing the command outright (e.g. its queue is full)
            throw failed(new L2Failure(name + " refused: " + e.getMessage(), e), start);
        }
    }

    /** The last L2 failure's message while the breaker does not ask Redis, else null: why L2 is off. */
    String openCause() {
        return breakerState() == CacheStats.BreakerState.CLOSED ? null : lastFailure;
    }

    private L2Failure failed(L2Failure failure, long start) {
        lastFailure = failure.getMessage();
        breaker.onError(time.nanos() - start, TimeUnit.NANOSECONDS, failure);
        return failure;
    }

    @Override
    public void close() {
        connection.close();
    }
}
