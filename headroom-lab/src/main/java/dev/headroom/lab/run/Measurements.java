package dev.headroom.lab.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The run's histograms and counters. Written only from the generator's single event-loop thread, so
 * plain {@link Histogram}s suffice (no Recorder, no locks, no allocation per record). Values are
 * microseconds, tracked up to an hour at 3 significant digits (HdrHistogram's usual ~185 KB each).
 */
final class Measurements {
    private static final long HIGHEST_MICROS = 3_600_000_000L;

    final Histogram corrected = histogram();
    final Histogram uncorrected = histogram();
    final Histogram dispatchDelay = histogram();
    final Histogram scheduleLag = histogram();
    private Histogram interval = histogram();
    private long intervalRequests;
    private long intervalArrivals;
    private long intervalErrors;
    private final List<Interval> intervals = new ArrayList<>();
    private final Map<String, Long> errors = new LinkedHashMap<>();
    /** Responses by status code (three digits, so 100..999): an array, no map work per response. */
    private final long[] statuses = new long[1000];
    private long requests;
    /** Wire bytes of the responses received (status line, headers, body). */
    private long responseBytes;
    /** Arrivals (first steps) sent by the end of the measured part; the engine counts them. */
    long sends;
    private long arrivals;
    private final Map<String, Named> byName = new LinkedHashMap<>();
    private String lastName;
    private Named lastNamed;
    private final HistogramLogWriter log;
    private final long startMillis;

    Measurements(PrintStream hdrLog, long startMillis) {
        this.startMillis = startMillis;
        if (hdrLog != null) {
            log = new HistogramLogWriter(hdrLog);
            log.outputComment("headroom load: corrected latency in microseconds, one interval per second");
            log.outputStartTime(startMillis);
            log.setBaseTime(startMillis);
            log.outputLegend();
        } else {
            log = null;
        }
        for (String kind : new String[] {"status", "timeout", "connect", "io", "capture"}) {
            errors.put(kind, 0L);
        }
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** Per request name (a scenario entry or journey step): count, errors, corrected latency, responses and their bytes. */
    private static final class Named {
        final Histogram corrected = histogram();
        long requests;
        long errors;
        long responses;
        long responseBytes;
    }

    /**
     * A measured request: answered (status > 0, its response {@code wireBytes} long) or failed ({@code errorKind}
     * not null); {@code arrival} when it is an arrival's first step rather than a later step of a journey.
     */
    void record(long intendedNanos, long sentNanos, long endNanos, int status, long wireBytes, String errorKind, String name,
                boolean arrival) {
        long corr = Math.min(Math.max(0, (endNanos - intendedNanos) / 1000), HIGHEST_MICROS);
        corrected.recordValue(corr);
        interval.recordValue(corr);
        Named named = name == lastName ? lastNamed : byName.computeIfAbsent(name, n -> new Named());
        lastName = name;
        lastNamed = named;
        named.requests++;
        named.corrected.recordValue(corr);
        if (sentNanos > 0) {
            uncorrected.recordValue(Math.min(Math.max(0, (endNanos - sentNanos) / 1000), HIGHEST_MICROS));
            dispatchDelay.recordValue(Math.min(Math.max(0, (sentNanos - intendedNanos) / 1000), HIGHEST_MICROS));
        }
        requests++;
        intervalRequests++;
        if (arrival) {
            arrivals++;
            intervalArrivals++;
        }
        if (status > 0) {
            statuses[status]++;
            responseBytes += wireBytes;
            named.responses++;
            named.responseBytes += wireBytes;
        }
        String kind = errorKind != null ? errorKind : (status < 200 || status > 299) ? "status" : null;
        if (kind != null) {
            errors.merge(kind, 1L, Long::sum);
            intervalErrors++;
            named.errors++;
        }
    }

    /**
     * Forgets everything recorded (used on the warm-up's measurements). Each fresh histogram takes the
     * "new minimum / new maximum" branches again, so they are compiled as taken before the measured part
     * starts with its own empty histograms; otherwise their first use there deoptimizes the read path.
     */
    void forget() {
        corrected.reset();
        uncorrected.reset();
        dispatchDelay.reset();
        scheduleLag.reset();
        interval.reset();
        byName.values().forEach(n -> n.corrected.reset());
        lastName = null;
    }

    void lag(long lateNanos) {
        scheduleLag.recordValue(Math.min(Math.max(0, lateNanos / 1000), HIGHEST_MICROS));
    }

    /** Closes the current interval (responses completed since the last call) and starts the next. */
    Interval closeInterval(double startSeconds, double seconds, double targetRate) {
        Histogram h = interval;
        Interval done = new Interval(startSeconds, seconds, intervalRequests, intervalArrivals, intervalErrors, targetRate, h);
        intervals.add(done);
        if (log != null) {
            h.setStartTimeStamp(startMillis + Math.round(startSeconds * 1000));
            h.setEndTimeStamp(startMillis + Math.round((startSeconds + seconds) * 1000));
            log.outputIntervalHistogram(h);
        }
        interval = histogram();
        intervalRequests = 0;
        intervalArrivals = 0;
        intervalErrors = 0;
        return done;
    }

    long requests() {
        return requests;
    }

    long arrivals() {
        return arrivals;
    }

    long responseBytes() {
        return responseBytes;
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    List<Interval> intervals() {
        return List.copyOf(intervals);
    }

    Map<String, Long> errors() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(errors));
    }

    List<RunResult.RequestStats> byName() {
        List<RunResult.RequestStats> list = new ArrayList<>();
        byName.forEach((name, n) -> list.add(new RunResult.RequestStats(name, n.requests, n.errors, n.corrected, n.responses,
                n.responseBytes)));
        return list;
    }

    Map<Integer, Long> statuses() {
        Map<Integer, Long> byCode = new TreeMap<>();
        for (int code = 0; code < statuses.length; code++) {
            if (statuses[code] > 0) {
                byCode.put(code, statuses[code]);
            }
        }
        return java.util.Collections.unmodifiableMap(byCode);
    }
}
