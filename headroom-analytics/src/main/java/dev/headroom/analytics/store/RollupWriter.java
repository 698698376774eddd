package dev.headroom.analytics.store;

import dev.headroom.analytics.window.WindowResult;
import dev.headroom.analytics.window.WindowSink;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes the engine's per-key results of the {@value #WINDOW} window into {@code rollup_1s}: FINAL results
 * add a row, a LATE_UPDATE replaces the row of its (bucket, category). EARLY results and merges over all
 * keys are not stored (they are the dashboard's).
 *
 * <p>Concurrency: {@link #accept} (engine threads) only puts the result on a bounded queue; a thread of
 * the writer's own drains it in batches and writes each batch with one appender flush. When the queue is
 * full, {@link #accept} blocks until there is room: back-pressure that slows the engine to the database's
 * pace rather than losing a result that was acknowledged. {@link #backPressureWaits()} counts those waits.
 * If writing fails, the writer stops and every later {@link #accept} throws, naming the cause.
 */
public final class RollupWriter implements WindowSink, AutoCloseable {
    /** The window whose results are stored. */
    public static final String WINDOW = "1s";
    public static final int DEFAULT_QUEUE_CAPACITY = 8_192;
    private static final int MAX_BATCH = 4_096;

    private final BlockingQueue<WindowResult> queue;
    private final DuckDBConnection connection;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean closing;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong backPressureWaits = new AtomicLong();

    public RollupWriter(AnalyticsStore store, int queueCapacity) throws SQLException {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        queue = new ArrayBlockingQueue<>(queueCapacity);
        connection = store.newConnection();
        thread = Thread.ofPlatform().name("rollup-writer").daemon().start(this::drain);
    }

    @Override
    public void accept(WindowResult result) {
        if (!WINDOW.equals(result.window()) || result.key() == WindowResult.ALL_KEYS
                || result.kind() == WindowResult.Kind.EARLY) {
            return;
        }
        checkRunning();
        try {
            if (!queue.offer(result)) {
                backPressureWaits.incrementAndGet();
                // Wait in slices so that a writer that failed meanwhile is noticed.
                while (!queue.offer(result, 50, TimeUnit.MILLISECONDS)) {
                    checkRunning();
                }
            }
            accepted.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the rollup writer's queue", e);
        }
    }

    /** Waits until everything accepted so far is written (tests, shutdown). */
    public void flush() throws InterruptedException {
        long target = accepted.get();
        while (written.get() < target) {
            checkRunning();
            Thread.sleep(1);
        }
    }

    /** How often {@link #accept} found the queue full and waited. */
    public long backPressureWaits() {
        return backPressureWaits.get();
    }

    /** Writes what is queued, then stops the writer's thread and closes its connection: once the engine has stopped. */
    @Override
    public void close() throws SQLException, InterruptedException {
        closing = true;
        thread.join();
        connection.close();
        if (failure != null) {
            throw new SQLException("the rollup writer had failed", failure);
        }
    }

    private void checkRunning() {
        if (failure != null) {
            throw new IllegalStateException("the rollup writer failed and stores nothing more: " + failure, failure);
        }
        if (closing) {
            throw new IllegalStateException("the rollup writer is closed");
        }
    }

    private void drain() {
        List<WindowResult> batch = new ArrayList<>(MAX_BATCH);
        try (DuckDBAppender appender = RollupRows.appender(connection, Resolution.SECOND);
             PreparedStatement delete = connection.prepareStatement(
                     "DELETE FROM " + Resolution.SECOND.table() + " WHERE bucket = ? AND category = ?")) {
            while (true) {
                WindowResult first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch, appender, delete);
                written.addAndGet(batch.size());
                batch.clear();
            }
        } catch (SQLException | RuntimeException | InterruptedException e) {
            failure = e;
        }
    }

    private static void write(List<WindowResult> batch, DuckDBAppender appender, PreparedStatement delete)
            throws SQLException {
        // The last result per key wins: a FINAL and its LATE_UPDATE may share a batch.
        Map<BucketKey, WindowResult> last = new LinkedHashMap<>();
        for (WindowResult result : batch) {
            last.put(new BucketKey(result.start(), result.key()), result);
        }
        boolean replaces = false;
        for (WindowResult result : last.values()) {
            if (result.kind() == WindowResult.Kind.LATE_UPDATE) {
                delete.setLong(1, result.start());
                delete.setInt(2, result.key());
                delete.addBatch();
                replaces = true;
            }
        }
        if (replaces) {
            delete.executeBatch();
        }
        for (WindowResult result : last.values()) {
            RollupRows.append(appender, new RollupRow(result.start(), result.key(), result.aggregate(), result.late()));
        }
        appender.flush();
    }
}
