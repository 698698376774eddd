package dev.headroom.cache;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Keeps the L1s of every instance of one cache coherent over Redis pub/sub, without trusting pub/sub.
 *
 * <p>Pub/sub delivers at most once: a message is lost when a subscriber's connection drops, and a
 * publish fails when Redis is unreachable. So every message carries its publisher's id and a sequence
 * number that grows by one per invalidation, whether or not the publish got through. A subscriber that
 * sees a publisher's number jump (a lost message), or whose own connection dropped, cannot know which
 * keys it missed, and flushes its whole L1. A heartbeat repeats each publisher's latest number, so even
 * a lost <em>last</em> message is noticed within one heartbeat period. The first message from a publisher
 * not heard from before counts as a gap unless it is that publisher's first: an instance that joins a
 * running cluster flushes its young L1 once per peer, in its first heartbeat period.
 *
 * <p>Messages: {@code ID SEQ KIND SENT_MILLIS [KEY]}, KIND {@code k} (one key), {@code a} (all keys) or
 * {@code h} (heartbeat, no new invalidation). SENT_MILLIS is the cache's {@link Time#epochMillis()}.
 *
 * <p>Threads: the heartbeat runs on the Redis client's own event executors (its {@code ClientResources},
 * which the caller owns), and messages arrive on its event loop; the bus starts no thread. Thread-safe.
 */
final class InvalidationBus<K> implements AutoCloseable {
    /** What the bus does to this instance's L1. */
    interface Target<K> {
        void invalidateLocally(K key);

        void flushLocally();
    }

    private final String channel;
    private final String id = UUID.randomUUID().toString();
    private final Function<String, K> parseKey;
    private final Target<K> target;
    private final StatefulRedisConnection<String, String> publisher;
    private final StatefulRedisPubSubConnection<String, String> subscriber;
    private final ScheduledFuture<?> heartbeat;
    /** Guards {@link #seq} and the enqueueing of each message, so that messages leave in number order. */
    private final ReentrantLock sending = new ReentrantLock();
    private long seq;
    private final ConcurrentHashMap<String, Long> lastSeen = new ConcurrentHashMap<>();
    private final AtomicBoolean dropNext = new AtomicBoolean();
    private volatile boolean disconnected;
    private final Counters counters;
    private final Time time;

    InvalidationBus(RedisClient client, String cacheName, Function<String, K> parseKey, Target<K> target, long heartbeatNanos,
                    Counters counters, Time time) {
        this.counters = counters;
        this.time = time;
        this.channel = "headroom-cache:" + cacheName + ":invalidations";
        this.parseKey = parseKey;
        this.target = target;
        this.publisher = client.connect();
        this.subscriber = client.connectPubSub();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                onMessage(message);
            }
        });
        subscriber.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                disconnected = true;
                flush(); // invalidations sent from now on are lost to this instance
            }

            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                if (disconnected) {
                    disconnected = false;
                    flush(); // whatever L1 took in while disconnected may already be stale
                }
            }
        });
        subscriber.sync().subscribe(channel);
        this.heartbeat = client.getResources().eventExecutorGroup()
                .scheduleAtFixedRate(this::beat, heartbeatNanos, heartbeatNanos, TimeUnit.NANOSECONDS);
    }

    void publishKey(String key) {
        publish("k", key);
    }

    void publishAll() {
        publish("a", "");
    }

    /** Test hook: the next invalidation is numbered but not sent, as if pub/sub had lost it. */
    void dropNextPublish() {
        dropNext.set(true);
    }

    /*
     * Numbering and handing the message to the connection happen under one lock, so the messages reach
     * Redis in number order: a number that overtook its predecessor, or a heartbeat repeating a number
     * whose message was still on its way, would look like a loss to every receiver and flush their L1s.
     * Lettuce keeps the order of commands enqueued from threads other than the connection's event loop;
     * a caller on that event loop itself (a Lettuce callback of the same client) could still jump the
     * queue. The lock covers building and enqueueing one asynchronous command, not a round trip.
     */
    private void publish(String kind, String key) {
        counters.invalidationsSent.increment();
        sending.lock();
        try {
            long n = ++seq; // numbered even if the send fails: receivers then see the gap
            if (!dropNext.compareAndSet(true, false)) {
                send(n, kind, key);
            }
        } finally {
            sending.unlock();
        }
    }

    private void beat() {
        sending.lock();
        try {
            send(seq, "h", "");
        } finally {
            sending.unlock();
        }
    }

    private void send(long n, String kind, String key) {
        String message = id + ' ' + n + ' ' + kind + ' ' + time.epochMillis() + (key.isEmpty() ? "" : " " + key);
        publisher.async().publish(channel, message); // fire and forget: a lost send is a gap, handled above
    }

    private void onMessage(String message) {
        String[] parts = message.split(" ", 5);
        if (parts.length < 4 || parts[0].equals(id)) {
            return;
        }
        long n;
        long sentAt;
        try {
            n = Long.parseLong(parts[1]);
            sentAt = Long.parseLong(parts[3]);
        } catch (NumberFormatException e) {
            return; // not ours
        }
        String kind = parts[2];
        boolean heartbeat = kind.equals("h");
        Long last = lastSeen.get(parts[0]);
        // A publisher heard from for the first time may have sent invalidations this instance missed;
        // only its very first number (0 for a heartbeat, 1 for an invalidation) proves it did not.
        long known = last != null ? last : 0;
        if (n > (heartbeat ? known : known + 1)) {
            counters.invalidationGaps.increment();
            flush();
        }
        if (last == null || n > last) {
            lastSeen.put(parts[0], n);
        }
        if (kind.equals("h")) {
            return;
        }
        counters.invalidationsReceived.increment();
        counters.invalidationLagMaxMs.accumulateAndGet(Math.max(0, time.epochMillis() - sentAt), Math::max);
        if (kind.equals("a")) {
            flush();
        } else if (kind.equals("k") && parts.length == 5) {
            K key;
            try {
                key = parseKey.apply(parts[4]);
            } catch (RuntimeException e) {
                flush(); // a key this instance cannot read: drop everything rather than keep it
                return;
            }
            target.invalidateLocally(key);
        }
    }

    private void flush() {
        counters.l1Flushes.increment();
        target.flushLocally();
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        subscriber.close();
        publisher.close();
    }
}
