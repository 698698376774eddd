package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import java.time.InstantSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One engine thread: owns a {@link WindowCore} and a bounded queue of batches. Between batches it wakes
 * every early interval (real time) to tick the core with the engine's clock: idle sources move on only
 * when its queue is empty, so a backlog is never mistaken for a quiet source.
 */
final class Worker implements Runnable {
    /** A batch's share for this worker (events may be null), with what every worker needs to know of it. */
    record Share(EventBatch events, int source, long batchMax, long arrival) {}

    /** Queued last by {@link #close}: everything before it is processed, then the thread ends. */
    private static final Share STOP = new Share(null, 0, Long.MIN_VALUE, 0);

    private final WindowCore core;
    private final ArrayBlockingQueue<Share> queue;
    private final InstantSource clock;
    private final long tickNanos;
    private final Runnable roomFreed;
    private final Thread thread;
    /** What stopped this thread early (a sink that threw), or null. */
    private volatile Throwable failure;

    Worker(int id, Policy policy, Results results, int capacity, InstantSource clock, Runnable roomFreed) {
        core = new WindowCore(policy, results, id);
        queue = new ArrayBlockingQueue<>(capacity);
        this.clock = clock;
        this.tickNanos = TimeUnit.MILLISECONDS.toNanos(policy.earlyInterval());
        this.roomFreed = roomFreed;
        thread = Thread.ofPlatform().name("headroom-window-" + id).daemon().unstarted(this);
    }

    void start() {
        thread.start();
    }

    boolean hasRoom() {
        return queue.remainingCapacity() > 0 || failure != null;
    }

    /** Called only by the engine, under its lock, after {@link #hasRoom()}: never fails, never blocks. */
    void put(Share share) {
        if (!queue.offer(share)) {
            throw new IllegalStateException("the engine checked for room first");
        }
    }

    int queued() {
        return queue.size();
    }

    WindowCore core() {
        return core;
    }

    @Override
    public void run() {
        long nextTick = System.nanoTime() + tickNanos;
        try {
            while (true) {
                Share share = queue.poll(Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (share == STOP) {
                    break;
                }
                if (share != null) {
                    core.accept(share.events(), share.source(), share.batchMax(), share.arrival());
                    roomFreed.run();
                }
                if (System.nanoTime() >= nextTick) {
                    core.tick(clock.millis(), queue.isEmpty());
                    nextTick = System.nanoTime() + tickNanos;
                }
            }
            core.finish(clock.millis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            roomFreed.run(); // waiting callbacks run, and their offer says what happened
        }
    }

    Throwable failure() {
        return failure;
    }

    /** Stops once the queue is drained (waits for room for the stop mark). */
    void close() throws InterruptedException {
        boolean queued = false;
        while (!queued && failure == null && thread.isAlive()) {
            queued = queue.offer(STOP, 10, TimeUnit.MILLISECONDS);
        }
        thread.join();
    }
}
