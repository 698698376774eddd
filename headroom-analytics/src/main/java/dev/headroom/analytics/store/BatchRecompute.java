package dev.headroom.analytics.store;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.window.WindowAggregate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The batch side of the lambda architecture: rollups recomputed from the raw events with the same
 * {@link WindowAggregate} code the engine runs, and a check of the stored (real-time) rollups against
 * them. Raw events are streamed an hour at a time, sorted by (bucket, category) in DuckDB, so Java holds
 * one aggregate at a time. Note: the raw table holds every event ingested, the engine drops events past
 * its allowed lateness; a window that dropped events differs from its recompute by exactly those.
 */
public final class BatchRecompute {
    private static final long SLICE = Resolution.HOUR.millis();
    private static final long PROGRESS_EVERY_NANOS = 5_000_000_000L;
    private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();

    private BatchRecompute() {
    }

    /**
     * Replaces {@code resolution}'s rollups with bucket in [from, to) by aggregates of the raw events there.
     *
     * @return how many raw events were read
     */
    public static long recompute(AnalyticsStore store, Resolution resolution, long from, long to,
                                 Consumer<String> progress) throws SQLException {
        checkRange(resolution, from, to);
        RollupRows.deleteRange(store.connection(), resolution, from, to);
        // One part per core, each on a connection and appender of its own: Java's per-event work is the bottleneck.
        int parts = (int) Math.max(1, Math.min(PARALLELISM, (to - from) / SLICE));
        long step = Math.ceilDiv((to - from) / resolution.millis(), parts) * resolution.millis();
        List<Part> running = new ArrayList<>();
        for (long partFrom = from; partFrom < to; partFrom += step) {
            running.add(new Part(store.newConnection(), resolution, partFrom, Math.min(to, partFrom + step), progress));
        }
        long events = 0;
        SQLException failure = null;
        for (Part part : running) {
            try {
                events += part.join();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return events;
    }

    /** One thread recomputing a contiguous part of the range. */
    private static final class Part {
        private final Thread thread;
        private long events;
        private Exception failure;

        Part(DuckDBConnection connection, Resolution resolution, long from, long to, Consumer<String> progress) {
            thread = Thread.ofPlatform().name("recompute-" + Instant.ofEpochMilli(from)).start(() -> {
                try (connection; DuckDBAppender appender = RollupRows.appender(connection, resolution)) {
                    events = fold(connection, resolution, from, to, row -> RollupRows.append(appender, row), progress);
                    appender.flush();
                } catch (SQLException | RuntimeException e) {
                    failure = e;
                }
            });
        }

        long join() throws SQLException {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the recompute", e);
            }
            if (failure != null) {
                throw failure instanceof SQLException sql ? sql : new SQLException("recompute failed", failure);
            }
            return events;
        }
    }

    /** Compares the stored rollups with bucket in [from, to) with a recompute from the raw events. */
    public static ConsistencyReport check(AnalyticsStore store, Resolution resolution, long from, long to)
            throws SQLException {
        checkRange(resolution, from, to);
        Connection connection = store.connection();
        Checker checker = new Checker(resolution);
        for (long slice = from; slice < to; slice += SLICE) {
            long sliceEnd = Math.min(to, slice + SLICE);
            Map<BucketKey, RollupRow> stored = new LinkedHashMap<>();
            for (RollupRow row : RollupRows.read(connection, resolution, slice, sliceEnd)) {
                stored.put(new BucketKey(row.bucket(), row.category()), row);
            }
            fold(connection, resolution, slice, sliceEnd,
                    batch -> checker.compare(stored.remove(new BucketKey(batch.bucket(), batch.category())), batch), text -> { });
            for (RollupRow extra : stored.values()) {
                checker.compare(extra, null);
            }
        }
        return new ConsistencyReport(resolution, from, to, checker.compared, checker.mismatches, checker.listed);
    }

    /** Compares stored rows with recomputed ones, keeping count and the first descriptions. */
    private static final class Checker {
        private final Resolution resolution;
        private final List<String> listed = new ArrayList<>();
        private long compared;
        private long mismatches;

        Checker(Resolution resolution) {
            this.resolution = resolution;
        }

        /** Either side may be null: a row only stored, or only in the raw events. */
        void compare(RollupRow stored, RollupRow batch) {
            compared++;
            RollupRow any = stored != null ? stored : batch;
            String where = resolution.table() + " " + Instant.ofEpochMilli(any.bucket()) + " category " + any.category();
            if (stored == null) {
                mismatch(where + ": missing, the raw events hold " + batch.aggregate().events() + " events");
                return;
            }
            if (batch == null) {
                mismatch(where + ": stored with " + stored.aggregate().events() + " events, none in the raw events");
                return;
            }
            WindowAggregate real = stored.aggregate();
            WindowAggregate raw = batch.aggregate();
            if (!Arrays.equals(real.counts(), raw.counts())) {
                mismatch(where + ": counts " + Arrays.toString(real.counts()) + " stored, " + Arrays.toString(raw.counts()) + " from raw");
            }
            if (real.revenueCents() != raw.revenueCents()) {
                mismatch(where + ": revenue " + real.revenueCents() + " cents stored, " + raw.revenueCents() + " from raw");
            }
            if (!SketchBounds.distinctAgree(real.distinctUsers(), raw.distinctUsers())) {
                mismatch(where + ": distinct users " + real.distinctUsers() + " stored, " + raw.distinctUsers()
                        + " from raw (beyond 3 sigma)");
            }
            String latency = SketchBounds.latencyDisagreement(real.latencySketch(), raw.latencySketch());
            if (latency != null) {
                mismatch(where + ": " + latency);
            }
            String products = SketchBounds.productsDisagreement(real.productsSketch(), raw.productsSketch());
            if (products != null) {
                mismatch(where + ": " + products);
            }
        }

        private void mismatch(String text) {
            mismatches++;
            if (listed.size() < ConsistencyReport.MAX_LISTED) {
                listed.add(text);
            }
        }
    }

    /** Aggregates the raw events with time in [from, to) per bucket and category, in that order, into sink. */
    static long fold(Connection connection, Resolution resolution, long from, long to, BucketFolder.Sink sink,
                     Consumer<String> progress) throws SQLException {
        BucketFolder folder = new BucketFolder(resolution, sink);
        EventBatch one = new EventBatch(0, 1);
        long events = 0;
        long started = System.nanoTime();
        long reported = started;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT time_ms, type, user_id, product, category, amount_cents, latency_us FROM events"
                        + " WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms // ?, category")) {
            for (long slice = from; slice < to; slice += SLICE) {
                select.setLong(1, slice);
                select.setLong(2, Math.min(to, slice + SLICE));
                select.setLong(3, resolution.millis());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        long time = rs.getLong(1);
                        one.clear();
                        one.add(rs.getByte(2), time, rs.getLong(3), rs.getInt(4), rs.getInt(5), rs.getLong(6), rs.getInt(7));
                        folder.at(resolution.bucketOf(time), one.category(0)).add(one, 0);
                        events++;
                    }
                }
                long now = System.nanoTime();
                if (now - reported >= PROGRESS_EVERY_NANOS) {
                    reported = now;
                    progress.accept(String.format("recompute %s, %s: %,d events, %,.0f events/s, up to %s", resolution.table(),
                            Thread.currentThread().getName(), events, events / ((now - started) / 1e9), Instant.ofEpochMilli(Math.min(to, slice + SLICE))));
                }
            }
        }
        folder.finish();
        return events;
    }

    private static void checkRange(Resolution resolution, long from, long to) {
        if (from % resolution.millis() != 0 || to % resolution.millis() != 0) {
            throw new IllegalArgumentException("from and to must be multiples of " + resolution.millis() + " ms for "
                    + resolution.table() + ", were " + from + " and " + to);
        }
        if (from >= to) {
            throw new IllegalArgumentException("from must be before to, were " + from + " and " + to);
        }
    }
}
