package dev.headroom.edge.deadline;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs an action when a {@link Deadline} passes, unless disarmed first: how work in flight is cancelled at its
 * deadline (a query's {@code Statement.cancel()}, a cross-shard call's future). One timer thread keeps the schedule;
 * each action that comes due runs on a virtual thread of its own, so a slow action (a cancel is a round trip to the
 * database, a new connection there) never delays the next one due: under load, cancels that queue behind each other
 * on one thread, as a driver's shared timer runs them, arrive later and later and the work they were to stop runs on.
 *
 * <p>Cost: arming is a heap insertion on the timer's queue and disarming a removal (O(log n) in the armed count,
 * a few µs); disarmed entries leave the queue at once, so it holds only the work in flight that has a deadline. Safe
 * for any number of threads.
 */
public final class DeadlineTimer implements AutoCloseable {
    private static final DeadlineTimer SHARED = new DeadlineTimer();

    private final ScheduledThreadPoolExecutor timer;

    /** A timer of its own; most callers use {@link #shared()}. */
    public DeadlineTimer() {
        timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("deadline-timer", 0).daemon(true).factory());
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The JVM's one timer (a daemon thread, started with the class). */
    public static DeadlineTimer shared() {
        return SHARED;
    }

    /** What {@link #at} armed. */
    @FunctionalInterface
    public interface Armed {
        /** Disarms: the action will not start after this returns (one already started runs on). Idempotent. */
        void disarm();
    }

    /** Runs {@code action} on a virtual thread once {@code deadline} has passed (at once when it has); its failures are its own. */
    public Armed at(Deadline deadline, Runnable action) {
        ScheduledFuture<?> due = timer.schedule(() -> Thread.ofVirtual().name("deadline-action").start(action),
                deadline.remainingNanos(), TimeUnit.NANOSECONDS);
        return () -> due.cancel(false);
    }

    /** Stops the timer: nothing armed runs after this. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
