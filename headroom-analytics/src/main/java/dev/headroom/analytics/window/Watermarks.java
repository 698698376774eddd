package dev.headroom.analytics.window;

import java.util.HashMap;
import java.util.Map;

/**
 * Event-time progress, kept per source. A source's watermark is the largest event time it sent minus
 * the out-of-orderness bound; a source that sent nothing for {@code idleTimeout} of wall clock moves on
 * by the wall time since its last events, so a quiet source never holds the others back (the stall of
 * flink#6076 and beam#31085). The global watermark is the minimum over sources, and never goes back:
 * a source that appears, or wakes up, behind it sends late events.
 *
 * <p>Updated once per batch, never per event. Not thread-safe: one per engine worker.
 */
final class Watermarks {
    private static final class Source {
        long maxTime = Long.MIN_VALUE;
        long lastArrival;
        long watermark = Long.MIN_VALUE;
    }

    private final long outOfOrderness;
    private final long idleTimeout;
    private final int maxSources;
    private final Map<Integer, Source> sources = new HashMap<>();
    /** Sources first seen past {@code maxSources} share the watermark kept under this id. */
    static final int OTHER_SOURCES = Integer.MIN_VALUE;
    private long current = Long.MIN_VALUE;

    Watermarks(long outOfOrdernessMillis, long idleTimeoutMillis, int maxSources) {
        this.outOfOrderness = outOfOrdernessMillis;
        this.idleTimeout = idleTimeoutMillis;
        this.maxSources = maxSources;
    }

    /** Moves idle sources on to wall time {@code now}; returns the global watermark. */
    long advance(long now) {
        for (Source s : sources.values()) {
            long quiet = now - s.lastArrival;
            if (quiet >= idleTimeout) {
                s.watermark = Math.max(s.watermark, s.maxTime - outOfOrderness + quiet);
            }
        }
        return recompute();
    }

    /** Records that {@code source} sent events up to {@code maxTime} at wall time {@code now}. */
    long arrived(int source, long maxTime, long now) {
        if (maxTime == Long.MIN_VALUE) {
            return current;
        }
        Source s = sources.get(source);
        if (s == null) {
            s = sources.computeIfAbsent(sources.size() < maxSources ? source : OTHER_SOURCES, k -> new Source());
        }
        s.lastArrival = now;
        if (maxTime > s.maxTime) {
            s.maxTime = maxTime;
            s.watermark = Math.max(s.watermark, maxTime - outOfOrderness);
        }
        return recompute();
    }

    private long recompute() {
        if (sources.isEmpty()) {
            return current;
        }
        long min = Long.MAX_VALUE;
        for (Source s : sources.values()) {
            min = Math.min(min, s.watermark);
        }
        current = Math.max(current, min);
        return current;
    }

    long current() {
        return current;
    }
}
