package dev.headroom.edge.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Buckets in this process, Bucket4j's lock-free local buckets, at most {@code maxKeys} of them: past that the least
 * recently used one is dropped. A dropped bucket is in effect full again when its key returns, which is what an idle
 * bucket is after burst/rate seconds anyway; a bound large enough that the least recently used key has been idle that
 * long (the default 100,000 keys: at 1,000 distinct clients a second, 100 s) loses nothing.
 */
final class LocalBuckets implements Buckets {
    private final Map<String, LocalBucket> buckets;
    private final TimeMeter clock;

    LocalBuckets(int maxKeys, LongSupplier nanoClock) {
        // access order: get() moves a key to the end, and the eldest is the least recently used
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LocalBucket> eldest) {
                return size() > maxKeys;
            }
        };
        this.clock = nanoClock == null ? TimeMeter.SYSTEM_NANOTIME : new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    @Override
    public CompletionStage<ConsumptionProbe> take(Level level, String key) {
        return CompletableFuture.completedFuture(bucket(level, key).tryConsumeAndReturnRemaining(1));
    }

    @Override
    public void giveBack(Level level, String key) {
        bucket(level, key).addTokens(1);
    }

    private LocalBucket bucket(Level level, String key) {
        String id = level.name() + '\u0000' + key;
        synchronized (buckets) { // held only to find or make the bucket; the bucket itself is lock-free
            return buckets.computeIfAbsent(id, k -> Bucket.builder().addLimit(level.configuration().getBandwidths()[0])
                    .withCustomTimePrecision(clock).build());
        }
    }

    @Override
    public void close() {
        synchronized (buckets) {
            buckets.clear();
        }
    }
}
