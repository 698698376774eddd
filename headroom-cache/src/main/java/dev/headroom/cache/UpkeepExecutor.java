package dev.headroom.cache;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The default executor of L1 upkeep ({@link TieredCacheBuilder#DEFAULT_EXECUTOR}): Caffeine's own
 * default, {@link ForkJoinPool#commonPool()}, while one of its threads is free, and the calling thread
 * when none is.
 *
 * <p>Why both. Handing the upkeep to another thread keeps it off the reader: run on the reader, each
 * read-buffer drain (one per 16 reads) made an L1 hit cost about 24 ns more of the reader's CPU,
 * 1.28× raw Caffeine against 1.08× (docs/conventions.md). But on 2 cores the common pool has one
 * thread, and any task that blocks there (a sleeping timer, a {@code supplyAsync} without an executor)
 * delays the upkeep behind it: reads go unrecorded, and the cache lab's L1 hit ratio fell from 0.712
 * to 0.696. So when every thread of the pool is busy, the caller runs the upkeep itself, at once.
 *
 * <p>The check is an estimate taken just before handing the task over, so a task can still be queued
 * behind a thread that becomes busy in between: this narrows the starvation, it does not close it.
 * Pass {@code executor(...)} to rule it out. Costs one read of the pool's state per scheduled upkeep
 * (at most one per 16 reads), none per hit. Thread-safe (stateless).
 */
enum UpkeepExecutor implements Executor {
    INSTANCE;

    @Override
    public void execute(Runnable task) {
        ForkJoinPool pool = ForkJoinPool.commonPool();
        if (pool.getActiveThreadCount() < ForkJoinPool.getCommonPoolParallelism()) {
            pool.execute(task);
        } else {
            task.run(); // every thread of the pool is busy, perhaps blocked: do not wait behind them
        }
    }

    @Override
    public String toString() {
        return "the common pool while one of its threads is free, else the calling thread";
    }
}
