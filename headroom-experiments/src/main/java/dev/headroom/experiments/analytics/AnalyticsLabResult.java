package dev.headroom.experiments.analytics;

import java.util.List;

/**
 * The analytics lab's result; its JSON (snake case) is the contract of {@code headroom lab analytics --json}.
 * A part not run is null.
 */
public record AnalyticsLabResult(String machine, String pinning, Ingest ingest, Freshness freshness, Late late, Historical historical) {

    /**
     * The sustained ingest run: a generator process offering {@code targetRate} events/s over TCP frames to the
     * pipeline (decode, partition, windows with sketches, rollups).
     *
     * @param eventsPerS        events counted per second over the measured seconds (parsing included)
     * @param valid             every event sent accounted for (sent = counted + late + dropped) and the rate held
     * @param generatorCpuShare the generator process's CPU time over the machine's (cores × seconds)
     * @param serverCpuShare    the pipeline's (this JVM's) CPU time over the machine's
     */
    public record Ingest(double eventsPerS, double seconds, boolean valid, double generatorCpuShare, double serverCpuShare,
                         long targetRate, long sent, long counted, long late, long dropped, double generatorBehindMs, String transport) { }

    /**
     * How soon results are there: a window's end (event time, the wall clock of the generator) to its final result
     * emitted, over the ingest run's 1 s windows; and an event ingested to the dashboard's pixels in headless Chromium.
     *
     * @param outOfOrdernessMs the watermark's bound: a window cannot close sooner than that after its end
     */
    public record Freshness(double windowP50Ms, double windowP99Ms, long windows, long outOfOrdernessMs,
                            Double pixelP50Ms, Double pixelP99Ms, int pixelProbes, String pixelNote) { }

    /**
     * A seeded stream with out-of-order and late events through the engine, against an exact replay of the same rules.
     *
     * @param mismatches windows whose counts, sums, late or dropped counts differ from the replay's
     */
    public record Late(long events, long counted, long late, long dropped, long windows, long mismatches, boolean exact) { }

    /**
     * The named historical queries over {@code events} raw events: on rollups ({@code p50Ms}, {@code p99Ms}) and on
     * the raw events ({@code rawP50Ms}, {@code rawP99Ms}); and the batch recompute against the real-time rollups.
     */
    public record Historical(long events, double loadSeconds, List<Query> queries, Consistency consistency) { }

    public record Query(String name, double p50Ms, double p99Ms, double rawP50Ms, double rawP99Ms, int runs) { }

    /**
     * The lambda architecture's check: {@code events} events of a past range through the real-time path (engine,
     * 1 s rollups) with the raw archive on, then every rollup recomputed from the raw events: exact counts and sums
     * equal, sketch answers within their bounds.
     *
     * @param mismatches rollups that differ; the first few described in {@code examples}
     */
    public record Consistency(long events, long windows, long mismatches, boolean consistent, List<String> examples) { }
}
