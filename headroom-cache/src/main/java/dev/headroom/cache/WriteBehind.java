package dev.headroom.cache;

import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Write-behind: a write is acknowledged once it is in a log (a Redis Stream), and applied to the
 * system of record later, in batches, by a flusher thread.
 *
 * <ul>
 *   <li><b>Durable before acknowledged</b>, as far as the log's Redis is: {@link #write} returns after
 *       {@code XADD} succeeded; with append-only persistence ({@code appendfsync everysec}, as
 *       {@code headroom up} runs it) a Redis crash can lose the last second, a flusher crash nothing.</li>
 *   <li><b>At least once</b>: an entry leaves the log ({@code XACK} + {@code XDEL}) only after its
 *       batch was applied. A flusher that dies mid-batch leaves its entries pending; the next flusher
 *       of the same log (this process restarted, or another instance) claims them ({@code XAUTOCLAIM})
 *       once they have been idle for {@code claimAfter}, and applies them again. The sink must
 *       therefore be idempotent (an upsert of the latest value is).</li>
 *   <li><b>Ordered per key</b>: entries are applied in log order; within one batch only each key's
 *       last value is passed on (last writer wins), in the order of the keys' last writes.</li>
 *   <li><b>Bounded</b>: when this instance's count of waiting writes (its writes, less what its flusher
 *       applied) reaches {@code maxBacklog}, {@link #write} throws {@link BacklogFullException} and the
 *       caller writes through instead. The count is this instance's view; entries another instance
 *       claimed are not subtracted until they are applied here.</li>
 * </ul>
 *
 * <p>Threads: one flusher thread per instance, made by the builder's {@linkplain Builder#threadFactory
 * thread factory} and running until {@link #close()}. Time: none is read here; how long the flusher
 * waits is Redis's ({@code XREADGROUP BLOCK}, {@code XAUTOCLAIM} idle times), so there is no ticker.
 * Thread-safe: {@link #write} may be called from any thread.
 */
public final class WriteBehind<K, V> implements AutoCloseable {
    /** {@link Builder#batchSize}: 500 entries. */
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** {@link Builder#maxBacklog}: 100,000 writes. */
    public static final long DEFAULT_MAX_BACKLOG = 100_000;
    /** {@link Builder#claimAfter}: 30 s. */
    public static final Duration DEFAULT_CLAIM_AFTER = Duration.ofSeconds(30);
    /** {@link Builder#poll}: 100 ms. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(100);

    /** Applies one batch to the system of record, e.g. one multi-row upsert. Must be idempotent. */
    @FunctionalInterface
    public interface Sink<K, V> {
        void apply(Map<K, V> latestByKey) throws Exception;
    }

    /** The backlog is full: the caller should write through (or shed the write) instead. */
    public static final class BacklogFullException extends RuntimeException {
        BacklogFullException(String message) {
            super(message);
        }
    }

    private static final String GROUP = "flushers";

    private final String stream;
    private final Codec<V> codec;
    private final Function<String, K> parseKey;
    private final Sink<K, V> sink;
    private final int batchSize;
    private final long maxBacklog;
    private final Duration claimAfter;
    private final Duration poll;
    private final Consumer<String> me = Consumer.from(GROUP, UUID.randomUUID().toString());
    private final StatefulRedisConnection<String, byte[]> writer;
    private final StatefulRedisConnection<String, byte[]> reader;
    private final Thread flusher;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();
    private volatile boolean running = true;

    private WriteBehind(Builder<K, V> b) {
        this.stream = "write-behind:" + b.name;
        this.codec = b.codec;
        this.parseKey = b.parseKey;
        this.sink = b.sink;
        this.batchSize = b.batchSize;
        this.maxBacklog = b.maxBacklog;
        this.claimAfter = b.claimAfter;
        this.poll = b.poll;
        RedisCodec<String, byte[]> bytes = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
        this.writer = b.client.connect(bytes);
        this.reader = b.client.connect(bytes);
        try {
            reader.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0-0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // the group exists: another instance, or an earlier run, created it
        }
        ThreadFactory threads = b.threadFactory != null ? b.threadFactory : Thread.ofPlatform().daemon().name("write-behind-" + b.name).factory();
        this.flusher = threads.newThread(this::flushLoop);
        if (flusher == null) {
            writer.close();
            reader.close();
            throw new IllegalStateException("threadFactory returned no thread for write-behind '" + b.name + "'");
        }
        flusher.start();
    }

    public static <K, V> Builder<K, V> builder(String name, RedisClient client, Codec<V> codec, Function<String, K> parseKey,
                                               Sink<K, V> sink) {
        return new Builder<>(name, client, codec, parseKey, sink);
    }

    /** Logs the write; returns once the log has it. The sink sees it later. */
    public void write(K key, V value) {
        Objects.requireNonNull(value, "value");
        if (backlog.incrementAndGet() > maxBacklog) {
            backlog.decrementAndGet();
            throw new BacklogFullException("write-behind '" + stream + "' has " + maxBacklog + " writes waiting: write through instead");
        }
        Map<String, byte[]> entry = new LinkedHashMap<>();
        entry.put("k", String.valueOf(key).getBytes(StandardCharsets.UTF_8));
        entry.put("v", codec.encode(value));
        try {
            writer.sync().xadd(stream, entry);
        } catch (RuntimeException e) {
            backlog.decrementAndGet(); // not acknowledged: the caller sees the failure and nothing was logged
            throw e;
        }
    }

    /** The name given to the builder: flushers built with the same name share the log. */
    public String name() {
        return stream.substring("write-behind:".length());
    }

    /** Writes this instance has logged that no flusher has applied yet. */
    public long backlog() {
        return Math.max(0, backlog.get());
    }

    /** Entries applied by this instance's flusher (each counted once per application: at least once). */
    public long applied() {
        return applied.get();
    }

    public long failedBatches() {
        return failedBatches.get();
    }

    /**
     * Stops the flusher after its current batch; unflushed entries stay in the log for the next flusher.
     * Returns within {@code 2 × poll} plus the time the sink takes.
     */
    @Override
    public void close() {
        running = false;
        try {
            flusher.join(poll.multipliedBy(20).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        reader.close();
    }

    /** Test hook: stops the flusher thread at once, as a crash would, without touching the log. */
    void crash() {
        running = false;
        flusher.interrupt();
        try {
            flusher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
        reader.close();
    }

    private void flushLoop() {
        RedisCommands<String, byte[]> redis = reader.sync();
        while (running) {
            try {
                // first what a dead flusher left pending, then what is new
                List<StreamMessage<String, byte[]>> batch = redis.xautoclaim(stream,
                        XAutoClaimArgs.Builder.xautoclaim(me, claimAfter, "0-0").count(batchSize)).getMessages();
                if (batch.isEmpty()) {
                    batch = redis.xreadgroup(me, XReadArgs.Builder.count(batchSize).block(poll),
                            XReadArgs.StreamOffset.lastConsumed(stream));
                }
                if (batch != null && !batch.isEmpty() && running) {
                    flush(redis, batch);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                failedBatches.incrementAndGet();
                sleep(); // the entries stay pending and are claimed again after claimAfter
            }
        }
    }

    private void flush(RedisCommands<String, byte[]> redis, List<StreamMessage<String, byte[]>> batch) {
        Map<K, V> latest = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(batch.size());
        for (StreamMessage<String, byte[]> m : batch) {
            byte[] k = m.getBody().get("k");
            byte[] v = m.getBody().get("v");
            ids.add(m.getId());
            if (k == null || v == null) {
                continue; // not an entry of ours; acknowledged so it does not block the log
            }
            K key = parseKey.apply(new String(k, StandardCharsets.UTF_8));
            latest.remove(key); // keep the order of each key's last write
            latest.put(key, codec.decode(v));
        }
        try {
            sink.apply(latest);
        } catch (Exception e) {
            throw new IllegalStateException("write-behind sink failed", e);
        }
        String[] done = ids.toArray(String[]::new);
        redis.xack(stream, GROUP, done);
        redis.xdel(stream, done);
        applied.addAndGet(batch.size());
        backlog.addAndGet(-batch.size());
    }

    private void sleep() {
        try {
            Thread.sleep(poll.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Configuration: each setter checks its value and names its property in the message. Not thread-safe. */
    public static final class Builder<K, V> {
        private final String name;
        private final RedisClient client;
        private final Codec<V> codec;
        private final Function<String, K> parseKey;
        private final Sink<K, V> sink;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private long maxBacklog = DEFAULT_MAX_BACKLOG;
        private Duration claimAfter = DEFAULT_CLAIM_AFTER;
        private Duration poll = DEFAULT_POLL;
        private ThreadFactory threadFactory;

        private Builder(String name, RedisClient client, Codec<V> codec, Function<String, K> parseKey, Sink<K, V> sink) {
            this.name = Checks.name(" (it names the Redis Stream)", name);
            this.client = Checks.notNull("client", client);
            this.codec = Checks.notNull("codec", codec);
            this.parseKey = Checks.notNull("parseKey", parseKey);
            this.sink = Checks.notNull("sink", sink);
        }

        /** Entries per batch handed to the sink. Default {@link #DEFAULT_BATCH_SIZE}. */
        public Builder<K, V> batchSize(int n) {
            this.batchSize = (int) Checks.atLeast("batchSize", 1, n);
            return this;
        }

        /** Writes of this instance that may wait before {@link #write} refuses more. Default {@link #DEFAULT_MAX_BACKLOG}. */
        public Builder<K, V> maxBacklog(long n) {
            this.maxBacklog = Checks.atLeast("maxBacklog", 1, n);
            return this;
        }

        /**
         * How long an entry must stay unacknowledged before another flusher takes it over: longer than
         * a batch takes to apply, or a slow flusher's batch is applied twice. Default {@link #DEFAULT_CLAIM_AFTER}.
         */
        public Builder<K, V> claimAfter(Duration idle) {
            this.claimAfter = Checks.notNegative("claimAfter", idle);
            return this;
        }

        /** How long the flusher waits for new entries per read. Default {@link #DEFAULT_POLL}. */
        public Builder<K, V> poll(Duration every) {
            this.poll = Checks.positive("poll", every);
            return this;
        }

        /**
         * Makes the flusher's thread (one, running until {@code close()}: not a pooled executor's). Default: a
         * daemon platform thread named {@code write-behind-NAME}.
         */
        public Builder<K, V> threadFactory(ThreadFactory factory) {
            this.threadFactory = Checks.notNull("threadFactory", factory);
            return this;
        }

        public WriteBehind<K, V> build() {
            return new WriteBehind<>(this);
        }
    }
}
