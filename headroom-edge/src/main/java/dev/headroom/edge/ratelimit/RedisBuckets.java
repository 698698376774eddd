package dev.headroom.edge.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Buckets in Redis, shared by every limiter pointed at the same Redis and prefix: each decision is one Lua script
 * (token-bucket.lua), one round trip, atomic in Redis and timed by Redis's own clock, so limiters on machines whose
 * clocks differ still share a bucket exactly. Asynchronous over one Lettuce connection: no thread waits on Redis.
 *
 * <p>Why not Bucket4j's Lettuce proxy (bucket4j_jdk17-lettuce 8.19.0): it is compare-and-swap (a GET, then a script,
 * again on a conflict) on each client's clock, and two edge processes sharing one bucket at 200/s admitted 127/s
 * to 283/s here, depending on its key expiry setting (docs/patterns/rate-limiting.md). Local buckets stay Bucket4j's.
 *
 * <p>Commands fail at once while the connection is down (Lettuce rejects them instead of queueing) and after
 * {@code timeout} when Redis is slow; the connection reconnects by itself, and a Redis that lost the script (a
 * restart) is sent it again.
 */
final class RedisBuckets implements Buckets {
    static final String SCRIPT = script();
    private static final byte[] TAKE = {'1'};
    private static final byte[] GIVE = {'-', '1'};

    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final String sha;
    private final String prefix;

    private RedisBuckets(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, String sha, String prefix) {
        this.client = client;
        this.connection = connection;
        this.redis = connection.async();
        this.sha = sha;
        this.prefix = prefix;
    }

    /** @throws IllegalStateException if Redis cannot be reached now */
    static RedisBuckets connect(String url, String prefix, Duration timeout) {
        RedisClient client = RedisClient.create(url);
        client.setOptions(ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        try {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            String sha = connection.sync().scriptLoad(SCRIPT);
            return new RedisBuckets(client, connection, sha, prefix);
        } catch (RedisConnectionException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("cannot reach Redis at " + url + " for the rate limits: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletionStage<ConsumptionProbe> take(Level level, String key) {
        return run(level, key, TAKE).thenApply(r -> {
            long left = (Long) r.get(1);
            long toFullNanos = (Long) r.get(3) * 1000;
            return (Long) r.get(0) == 1 ? ConsumptionProbe.consumed(left, toFullNanos)
                    : ConsumptionProbe.rejected(left, (Long) r.get(2) * 1000, toFullNanos);
        });
    }

    @Override
    public void giveBack(Level level, String key) {
        run(level, key, GIVE);
    }

    private CompletionStage<List<Object>> run(Level level, String key, byte[] cost) {
        byte[][] keys = {(prefix + level.name() + ':' + key).getBytes(StandardCharsets.UTF_8)};
        RateLimit l = level.limit();
        byte[][] args = {ascii(l.burst()), ascii(l.amount()), ascii(l.period().toNanos() / 1000), cost};
        CompletionStage<List<Object>> first = redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        return first.exceptionallyCompose(e -> (e instanceof CompletionException c ? c.getCause() : e) instanceof RedisNoScriptException
                ? redis.<List<Object>>eval(SCRIPT, ScriptOutputType.MULTI, keys, args)
                : first);
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static String script() {
        try (InputStream in = RedisBuckets.class.getResourceAsStream("token-bucket.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token-bucket.lua from the class path", e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
