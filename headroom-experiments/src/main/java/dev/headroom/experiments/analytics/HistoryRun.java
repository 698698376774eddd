package dev.headroom.experiments.analytics;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.generator.Clickstream;
import dev.headroom.analytics.store.AnalyticsStore;
import dev.headroom.analytics.store.BatchRecompute;
import dev.headroom.analytics.store.ConsistencyReport;
import dev.headroom.analytics.store.HistoricalQueries;
import dev.headroom.analytics.store.HistoryLoader;
import dev.headroom.analytics.store.QueryTiming;
import dev.headroom.analytics.store.RawEventWriter;
import dev.headroom.analytics.store.Resolution;
import dev.headroom.analytics.store.Retention;
import dev.headroom.analytics.store.RollupWriter;
import dev.headroom.analytics.window.PartitionedEngine;
import dev.headroom.analytics.Analytics;
import dev.headroom.experiments.ProgressLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * History: {@code historyEvents} raw events over 30 days loaded into DuckDB and rolled up, the four named queries
 * timed on the rollups and on the raw events; and the batch recompute of a past range against what the real-time
 * path wrote for it.
 */
final class HistoryRun {
    /** A whole hour, so that the queries' day and hour boundaries fall where the history's do. */
    static final long END = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();

    private HistoryRun() {
    }

    static AnalyticsLabResult.Historical run(AnalyticsLabOptions o, ProgressLog progress) throws Exception {
        Path dir = Files.createTempDirectory("headroom-analytics-lab-");
        try {
            AnalyticsLabResult.Consistency consistency = consistency(o, progress);
            try (AnalyticsStore store = AnalyticsStore.open(dir.resolve("history.duckdb"), Retention.DEFAULTS)) {
                progress.line(String.format("historical: loading %,d raw events over 30 days into DuckDB, then their rollups", o.historyEvents()));
                HistoryLoader.Report load = HistoryLoader.load(store, o.historyEvents(), o.seed(), END, progress.indented()::line);
                int runs = o.quick() ? 5 : 20;
                progress.line(String.format("historical: each query %d times on the rollups and on the raw events", runs));
                List<QueryTiming> timings;
                try (HistoricalQueries queries = new HistoricalQueries(store)) {
                    timings = queries.measure(runs, END);
                }
                List<AnalyticsLabResult.Query> rows = new ArrayList<>();
                for (String name : HistoricalQueries.NAMES) {
                    QueryTiming rollups = timing(timings, name, HistoricalQueries.Source.ROLLUPS);
                    QueryTiming raw = timing(timings, name, HistoricalQueries.Source.RAW);
                    rows.add(new AnalyticsLabResult.Query(name, rollups.p50Ms(), rollups.p99Ms(), raw.p50Ms(), raw.p99Ms(), runs));
                }
                return new AnalyticsLabResult.Historical(load.events(), load.rawSeconds() + load.rollupSeconds(), rows, consistency);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static QueryTiming timing(List<QueryTiming> timings, String name, HistoricalQueries.Source source) {
        return timings.stream().filter(t -> t.name().equals(name) && t.source() == source).findFirst()
                .orElseThrow(() -> new IllegalStateException("no timing of " + name + " on " + source));
    }

    /**
     * A past range through the real-time path: a clickstream of 1 h ago, in order within the watermark's bound, into the
     * engine (its 1 s results per key to the rollups) and the raw archive alike; the engine's clock then moves on an
     * hour so that every window fires; then each 1 s rollup recomputed from the raw events.
     */
    private static AnalyticsLabResult.Consistency consistency(AnalyticsLabOptions o, ProgressLog progress) throws Exception {
        int events = o.quick() ? 100_000 : 2_000_000;
        int rate = 20_000;
        long start = Math.floorDiv(System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1), 1000) * 1000;
        progress.line(String.format("historical: %,d events (%d s of a past range) through the real-time path and the raw archive, then recomputed",
                events, events / rate));
        Clickstream stream = Clickstream.builder().seed(o.seed()).start(start).eventsPerSecond(rate).jitterMs(200).build();
        AtomicLong wall = new AtomicLong(start);
        try (AnalyticsStore store = AnalyticsStore.inMemory(Retention.DEFAULTS)) {
            RollupWriter rollups = new RollupWriter(store, RollupWriter.DEFAULT_QUEUE_CAPACITY);
            PartitionedEngine engine = PartitionedEngine.builder().windows(Analytics.SECOND).outOfOrderness(Duration.ofMillis(500))
                    .earlyInterval(Duration.ofMillis(10)).sink(rollups).clock(() -> Instant.ofEpochMilli(wall.get())).build().start();
            try (RawEventWriter raw = new RawEventWriter(store)) {
                for (int sent = 0; sent < events; sent += 1_000) {
                    EventBatch batch = new EventBatch(1, 1_000);
                    stream.fill(batch, Math.min(1_000, events - sent));
                    raw.append(batch);
                    wall.set(stream.clock());
                    while (!engine.offer(batch)) {
                        Thread.onSpinWait();
                    }
                }
                raw.flush();
            }
            long end = stream.clock();
            wall.set(end + TimeUnit.HOURS.toMillis(1));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.watermark() < end && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            engine.close();
            rollups.flush();
            rollups.close();
            ConsistencyReport report = BatchRecompute.check(store, Resolution.SECOND, start, Math.floorDiv(end, 1000) * 1000 + 1000);
            if (engine.late() + engine.dropped() > 0) {
                throw new IllegalStateException("the consistency stream must be on time; it had " + engine.late() + " late and "
                        + engine.dropped() + " dropped events");
            }
            return new AnalyticsLabResult.Consistency(events, report.rowsCompared(), report.mismatchCount(), report.consistent(),
                    report.mismatches().stream().limit(5).toList());
        }
    }
}
