package dev.headroom.analytics.store;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The store's lab run (not a unit test): loads a history, times the named queries on both sources,
 * times the raw appender and the consistency check. Run under {@code flock /tmp/headroom-bench.lock}.
 * Arguments: a directory for the database, the number of events, the runs per query.
 */
final class StoreBench {
    private static final long END = 1_780_000_000_000L / 3_600_000L * 3_600_000L;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long events = Long.parseLong(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path file = dir.resolve("history.duckdb");
        try (AnalyticsStore store = AnalyticsStore.open(file, Retention.DEFAULTS)) {
            HistoryLoader.Report report = HistoryLoader.load(store, events, 17, END, System.out::println);
            System.out.printf("load: %,d events, raw %.1f s (%,.0f events/s), rollups %.1f s (1m pass %,.0f events/s)%n",
                    report.events(), report.rawSeconds(), report.rawEventsPerSecond(), report.rollupSeconds(),
                    report.rollupEventsPerSecond());
            store.connection().createStatement().execute("CHECKPOINT");
            System.out.printf("file: %,d bytes%n", Files.size(file));
            try (HistoricalQueries queries = new HistoricalQueries(store)) {
                for (QueryTiming t : queries.measure(runs, END)) {
                    System.out.printf("query %-28s %-7s p50 %8.1f ms  p99 %8.1f ms  max %8.1f ms (%d runs)%n",
                            t.name(), t.source(), t.p50Ms(), t.p99Ms(), t.maxMs(), t.runs());
                }
            }
            long checkStarted = System.nanoTime();
            ConsistencyReport check = BatchRecompute.check(store, Resolution.MINUTE, END - 3_600_000L, END);
            System.out.printf("consistency rollup_1m, last hour: %d rows, %d mismatches, %.1f s%n",
                    check.rowsCompared(), check.mismatchCount(), (System.nanoTime() - checkStarted) / 1e9);
        }
        appenderRate(dir.resolve("append.duckdb"), Math.min(events, 10_000_000L));
    }

    private static void appenderRate(Path file, long events) throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        EventBatch batch = new EventBatch(0, 4096);
        try (AnalyticsStore store = AnalyticsStore.open(file, Retention.DEFAULTS);
             RawEventWriter writer = new RawEventWriter(store)) {
            long started = System.nanoTime();
            for (long i = 0; i < events; i++) {
                batch.add(EventType.ofCode(random.nextInt(EventType.COUNT)), END + i, random.nextLong(1_000_000),
                        1 + random.nextInt(10_000), 1 + random.nextInt(12), random.nextLong(20_000), random.nextInt(50_000));
                if (batch.size() == 4096) {
                    writer.append(batch);
                    batch.clear();
                }
            }
            writer.append(batch);
            writer.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("RawEventWriter: %,d events in %.1f s, %,.0f rows/s%n", events, seconds, events / seconds);
        }
    }
}
