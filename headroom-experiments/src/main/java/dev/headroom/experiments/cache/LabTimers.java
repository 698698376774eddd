package dev.headroom.experiments.cache;

import dev.headroom.experiments.Pause;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs the lab's timers (the end of the warm-up, the Redis kill and restart), which sleep for seconds, each on
 * its own daemon thread. Never ForkJoinPool.commonPool: Caffeine runs each L1's upkeep there, and with 2 cores
 * the pool has one thread; a timer asleep on it cost the l1 configuration 0.02 of hit ratio (reads went unrecorded).
 */
final class LabTimers {
    private static final Executor TIMERS = task -> Thread.ofPlatform().daemon().name("cache-lab-timer").start(task);

    private LabTimers() {
    }

    /** {@code task} on a timer thread of its own; it sleeps with {@link Pause#until}. */
    static <T> CompletableFuture<T> start(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, TIMERS);
    }
}
