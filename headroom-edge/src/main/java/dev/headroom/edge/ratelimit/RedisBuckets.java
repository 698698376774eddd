package dev.headroom.edge.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Buckets in Redis, shared by every limiter pointed at the same Redis and prefix: Bucket4j's compare-and-swap buckets
 * over one Lettuce connection, asynchronous (no thread waits on Redis). A decision is a GET and a compare-and-swap
 * script, two round trips, and another pair when another limiter changed the bucket in between: exact, never more
 * tokens than the bucket had. Keys expire once their bucket would be full again (plus 10 s), so idle clients cost
 * Redis nothing. Time is each limiter's clock (Bucket4j's client-side time): limiters sharing buckets need clocks
 * that agree, as NTP keeps them.
 *
 * <p>Commands fail at once while the connection is down (Lettuce rejects them instead of queueing) and after
 * {@code timeout} when Redis is slow; the connection reconnects by itself.
 */
final class RedisBuckets implements Buckets {
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final AsyncProxyManager<byte[]> proxies;
    private final String prefix;

    private RedisBuckets(RedisClient client, StatefulRedisConnection<byte[], byte[]> connection, AsyncProxyManager<byte[]> proxies, String prefix) {
        this.client = client;
        this.connection = connection;
        this.proxies = proxies;
        this.prefix = prefix;
    }

    /** @throws IllegalStateException if Redis cannot be reached now */
    static RedisBuckets connect(String url, String prefix, Duration timeout) {
        RedisClient client = RedisClient.create(url);
        client.setOptions(ClientOptions.builder().disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout)).build());
        StatefulRedisConnection<byte[], byte[]> connection;
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
        } catch (RedisConnectionException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("cannot reach Redis at " + url + " for the rate limits: " + e.getMessage(), e);
        }
        AsyncProxyManager<byte[]> proxies = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build().asAsync();
        return new RedisBuckets(client, connection, proxies, prefix);
    }

    @Override
    public CompletionStage<ConsumptionProbe> take(Level level, String key) {
        return proxies.builder().build(key(level, key), () -> CompletableFuture.completedFuture(level.configuration()))
                .tryConsumeAndReturnRemaining(1);
    }

    @Override
    public void giveBack(Level level, String key) {
        proxies.builder().build(key(level, key), () -> CompletableFuture.completedFuture(level.configuration())).addTokens(1);
    }

    private byte[] key(Level level, String key) {
        return (prefix + level.name() + ':' + key).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
