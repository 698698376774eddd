package dev.headroom.lab.regression;

import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** One side's rounds as one result, for the console report, the SLOs and the JSON of a gated run. */
public final class RunResults {
    private RunResults() {
    }

    /**
     * The runs pooled as if they were one: histograms added, counts and seconds summed, the per-second windows
     * one after the other (each run's shifted to start where the last ended), rates recomputed over the summed
     * seconds. The generator's figures are the worst of any run (the highest CPU share and lag, the fewest
     * connections opened), so that the pool is no better than its worst round. Invalid reasons carry their round
     * ({@code round 3: …}); {@code moreInvalidReasons} (e.g. that the other side's run was invalid) come after.
     *
     * @throws IllegalArgumentException when {@code runs} is empty
     */
    public static RunResult pool(List<RunResult> runs, List<String> moreInvalidReasons) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("runs must not be empty");
        }
        RunResult first = runs.getFirst();
        double seconds = 0;
        double warmup = 0;
        double planned = 0;
        long requests = 0;
        long arrivals = 0;
        long bytes = 0;
        Map<String, Long> errors = new LinkedHashMap<>();
        Map<Integer, Long> statuses = new TreeMap<>();
        Histogram corrected = empty(first.corrected());
        Histogram uncorrected = empty(first.uncorrected());
        Histogram dispatch = empty(first.dispatchDelay());
        List<Interval> intervals = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        double cpu = 0;
        double lagP99 = 0;
        double lagMax = 0;
        int opened = Integer.MAX_VALUE;
        long inFlight = 0;
        Map<String, Named> byName = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i);
            for (Interval w : r.intervals()) {
                intervals.add(new Interval(seconds + w.startSeconds(), w.seconds(), w.requests(), w.arrivals(), w.errors(),
                        w.targetRate(), w.corrected()));
            }
            planned += Double.isNaN(r.targetRate()) ? 0 : r.targetRate() * r.durationSeconds();
            seconds += r.durationSeconds();
            warmup += r.warmupSeconds();
            requests += r.requests();
            arrivals += r.arrivals();
            bytes += r.responseBytes();
            r.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            r.statuses().forEach((k, v) -> statuses.merge(k, v, Long::sum));
            corrected.add(r.corrected());
            uncorrected.add(r.uncorrected());
            dispatch.add(r.dispatchDelay());
            int round = i + 1;
            r.invalidReasons().forEach(reason -> invalid.add("round " + round + ": " + reason));
            cpu = Math.max(cpu, r.generator().cpuFraction());
            lagP99 = Math.max(lagP99, r.generator().scheduleLagP99Ms());
            lagMax = Math.max(lagMax, r.generator().scheduleLagMaxMs());
            opened = Math.min(opened, r.generator().connectionsOpened());
            inFlight = Math.max(inFlight, r.generator().inFlightAtEnd());
            for (RunResult.RequestStats n : r.byName()) {
                byName.computeIfAbsent(n.name(), k -> new Named(empty(n.corrected()))).add(n);
            }
        }
        invalid.addAll(moreInvalidReasons);
        double targetRate = Double.isNaN(first.targetRate()) ? Double.NaN : seconds > 0 ? planned / seconds : 0;
        return new RunResult(first.target(), first.model(), targetRate, first.connections(), seconds, warmup, requests, arrivals,
                seconds > 0 ? arrivals / seconds : 0, errors, statuses, bytes, corrected, uncorrected, dispatch, List.copyOf(intervals),
                List.copyOf(invalid), new RunResult.GeneratorStats(cpu, lagP99, lagMax, opened, inFlight),
                byName.entrySet().stream().map(e -> e.getValue().stats(e.getKey())).toList());
    }

    /** An empty histogram of the same range and precision as {@code like}. */
    private static Histogram empty(Histogram like) {
        Histogram h = like.copy();
        h.reset();
        return h;
    }

    private static final class Named {
        final Histogram corrected;
        long requests;
        long errors;
        long responses;
        long responseBytes;

        Named(Histogram corrected) {
            this.corrected = corrected;
        }

        void add(RunResult.RequestStats n) {
            corrected.add(n.corrected());
            requests += n.requests();
            errors += n.errors();
            responses += n.responses();
            responseBytes += n.responseBytes();
        }

        RunResult.RequestStats stats(String name) {
            return new RunResult.RequestStats(name, requests, errors, corrected, responses, responseBytes);
        }
    }
}
