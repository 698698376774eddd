package dev.headroom.experiments.analytics;

import dev.headroom.analytics.Analytics;
import dev.headroom.analytics.window.PartitionedEngine;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.edge.CpuPinning;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The sustained ingest run: the pipeline in this JVM ({@link Analytics}: frames decoded on an event loop, the engine's
 * worker keeping the 1 s and 10 s/1 s windows with their sketches, 1 s rollups into DuckDB, the dashboard), a
 * generator process offering {@code rate} events/s for a warm-up and then the measured seconds. The rate is what the
 * engine took per second over the measured seconds; then the pipeline is drained and every event sent must be
 * counted, late or dropped.
 */
final class IngestRun {
    /** What counts as the rate held: the engine took at least this share of the rate offered. */
    static final double HELD = 0.99;

    record Outcome(AnalyticsLabResult.Ingest ingest, Histogram windowFreshness) { }

    private IngestRun() {
    }

    static Outcome run(AnalyticsLabOptions o, CpuPinning pinning, ProgressLog progress) throws Exception {
        int warmup = o.quick() ? 1 : 10;
        FreshnessRecorder freshness = new FreshnessRecorder();
        Analytics pipeline = Analytics.builder().tap(freshness).start();
        PartitionedEngine engine = pipeline.engine();
        GeneratorProcess generator = null;
        try {
            progress.line(String.format("ingest: %,d events/s offered over TCP frames for %d s (%d s warm-up first)", o.rate(), o.seconds(), warmup));
            long cpuBefore = processCpuNanos();
            long wallBefore = System.nanoTime();
            generator = GeneratorProcess.start(pinning, pipeline.tcpPort(), o.rate(), warmup + o.seconds(), o.seed());
            TimeUnit.SECONDS.sleep(warmup);
            freshness.from(System.currentTimeMillis());
            long taken0 = engine.received();
            long t0 = System.nanoTime();
            TimeUnit.SECONDS.sleep(o.seconds());
            long taken1 = engine.received();
            double measured = (System.nanoTime() - t0) / 1e9;
            freshness.until(System.currentTimeMillis());
            GeneratorProcess.Report sent = generator.await();
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            awaitTaken(engine, sent.sent());
            double serverCpu = (processCpuNanos() - cpuBefore) / 1e9;
            // the source is quiet now: once it counts as idle its watermark moves on, and the last windows fire
            TimeUnit.MILLISECONDS.sleep(Analytics.DEFAULT_IDLE_TIMEOUT.plus(Analytics.DEFAULT_OUT_OF_ORDERNESS).toMillis() + 500);
            pipeline.close(); // drains the engine: every window it still had fires or is dropped, and the counters settle
            double rate = (taken1 - taken0) / measured;
            boolean accounted = sent.sent() == engine.counted() + engine.late() + engine.dropped();
            int cores = Runtime.getRuntime().availableProcessors();
            AnalyticsLabResult.Ingest ingest = new AnalyticsLabResult.Ingest(rate, measured, accounted && rate >= HELD * o.rate(),
                    sent.cpuMs() / 1000.0 / (wall * cores), serverCpu / (wall * cores), o.rate(), sent.sent(), engine.counted(), engine.late(),
                    engine.dropped(), sent.behindMs(), "binary frames over TCP (37 bytes an event, 1,000 a frame)");
            progress.line(String.format("ingest: %,.0f events/s taken; sent %,d = counted %,d + late %,d + dropped %,d: %s", rate, sent.sent(),
                    engine.counted(), engine.late(), engine.dropped(), accounted ? "all accounted for" : "NOT all accounted for"));
            return new Outcome(ingest, freshness.histogram());
        } catch (Exception e) {
            if (generator != null) {
                generator.kill();
            }
            pipeline.close();
            throw e;
        }
    }

    /** The generator has ended; its last frames may still be in the socket or the decoder. */
    private static void awaitTaken(PartitionedEngine engine, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.received() < sent && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
