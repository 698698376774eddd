package dev.headroom.experiments.pool;

import dev.headroom.experiments.TimerTotals;
import dev.headroom.shop.Shop;
import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's HikariCP figures, as {@code /metrics} publishes them, read from its registry directly (the node runs in
 * the lab's JVM): the acquire and usage timers at one moment (subtract two for a window's), and the pending gauge
 * sampled while a run goes on.
 */
final class PoolMeters {
    static final String ACQUIRE = "hikaricp.connections.acquire";
    static final String USAGE = "hikaricp.connections.usage";
    static final String PENDING = "hikaricp.connections.pending";
    /** How often the pending gauge is read; a waiter queue that forms and drains between two reads goes unseen. */
    static final int SAMPLE_MS = 5;

    /** The timers at one moment. */
    record Totals(TimerTotals acquire, TimerTotals usage) {
        static Totals of(Shop node) {
            return new Totals(TimerTotals.of(List.of(node), ACQUIRE), TimerTotals.of(List.of(node), USAGE));
        }

        Totals minus(Totals earlier) {
            return new Totals(acquire.minus(earlier.acquire), usage.minus(earlier.usage));
        }
    }

    /** Reads the pending gauge every {@value #SAMPLE_MS} ms on a daemon thread of its own until closed; keeps the highest. */
    static final class PendingSampler implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private volatile double max;

        PendingSampler(Shop node) {
            Gauge gauge = node.registry().find(PENDING).gauge();
            if (gauge == null) {
                throw new IllegalStateException("the node publishes no " + PENDING + ": is its pool switch on?");
            }
            thread = Thread.ofPlatform().daemon().name("pool-lab-pending").start(() -> {
                while (running.get()) {
                    max = Math.max(max, gauge.value());
                    try {
                        Thread.sleep(SAMPLE_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        double max() {
            return max;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
