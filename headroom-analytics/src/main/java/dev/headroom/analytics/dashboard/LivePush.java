package dev.headroom.analytics.dashboard;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Pushes whole snapshots to the browsers' WebSockets, coalesced: any number of changes within
 * {@link #MIN_INTERVAL} become one push, and a change after a quiet spell is pushed at once. Each push
 * carries everything, so a browser that cannot keep up (its socket's write queue full) just misses
 * snapshots and gets the newest when it drains: nothing queues up per browser beyond the socket's bound.
 *
 * <p>Concurrency: {@link #changed()} may be called from any thread (one CAS); everything else runs on one
 * Vert.x context of its own.
 */
final class LivePush {
    static final Duration MIN_INTERVAL = Duration.ofMillis(100);
    /** Pushed at least this often, so the service panel moves while no window result arrives. */
    static final Duration REFRESH = Duration.ofSeconds(1);
    /** About four snapshots in flight per browser, then it skips to the newest. */
    static final int WRITE_QUEUE_BYTES = 16 * 1024;

    private final Vertx vertx;
    private final Context context;
    private final Supplier<String> snapshots;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Set<Browser> browsers = new HashSet<>();
    private final long refreshTimer;
    private long lastPushNanos = System.nanoTime() - MIN_INTERVAL.toNanos();
    private String latest;
    private volatile long skipped; // written on the context only

    LivePush(Vertx vertx, Supplier<String> snapshots) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.snapshots = snapshots;
        this.refreshTimer = vertx.setPeriodic(REFRESH.toMillis(), id -> changed());
    }

    void changed() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> schedule());
        }
    }

    private void schedule() {
        long waitMillis = (MIN_INTERVAL.toNanos() - (System.nanoTime() - lastPushNanos)) / 1_000_000;
        if (waitMillis <= 0) {
            push();
        } else {
            vertx.setTimer(waitMillis, id -> push());
        }
    }

    private void push() {
        scheduled.set(false); // changes from here on schedule the next push
        lastPushNanos = System.nanoTime();
        latest = snapshots.get();
        browsers.forEach(Browser::offer);
    }

    /** Called on the server's context when a browser connects: it gets the current snapshot at once. */
    void subscribe(ServerWebSocket socket) {
        socket.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
        Browser browser = new Browser(socket);
        socket.closeHandler(v -> context.runOnContext(x -> browsers.remove(browser)));
        socket.drainHandler(v -> context.runOnContext(x -> browser.drained()));
        context.runOnContext(v -> {
            if (!socket.isClosed()) {
                browsers.add(browser);
                if (latest == null) {
                    latest = snapshots.get();
                }
                browser.offer();
            }
        });
    }

    /** Snapshots not sent to some browser because its socket was still full: each a browser behind, not a queue growing. */
    long skipped() {
        return skipped;
    }

    void close() {
        vertx.cancelTimer(refreshTimer);
        context.runOnContext(v -> {
            browsers.forEach(b -> b.socket.close());
            browsers.clear();
        });
    }

    private final class Browser {
        final ServerWebSocket socket;
        boolean behind;

        Browser(ServerWebSocket socket) {
            this.socket = socket;
        }

        void offer() {
            if (socket.writeQueueFull()) {
                behind = true; // drop this one; drained() sends whatever is newest then
                skipped++;
            } else {
                socket.writeTextMessage(latest);
            }
        }

        void drained() {
            if (behind) {
                behind = false;
                offer();
            }
        }
    }
}
