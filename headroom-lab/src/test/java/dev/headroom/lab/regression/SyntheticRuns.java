package dev.headroom.lab.regression;

import dev.headroom.lab.run.Interval;
import dev.headroom.lab.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/** Runs made up for the statistics' tests: log-normal latency around a median, one window per second. */
final class SyntheticRuns {
    private static final long HIGHEST = 3_600_000_000L;

    private SyntheticRuns() {
    }

    /**
     * A run of {@code seconds} seconds at {@code rate} answers/s whose latency is {@code medianMs} times
     * exp(N(0, sigma)); in the closed model {@code rate} is its throughput, in the open model its plan.
     */
    static RunResult run(String model, double medianMs, double sigma, double rate, int seconds, SplittableRandom random) {
        Histogram all = new Histogram(HIGHEST, 3);
        List<Interval> windows = new ArrayList<>();
        int perSecond = (int) Math.round(rate);
        for (int s = 0; s < seconds; s++) {
            Histogram w = new Histogram(HIGHEST, 3);
            for (int i = 0; i < perSecond; i++) {
                long micros = Math.round(1000 * medianMs * Math.exp(sigma * gaussian(random)));
                w.recordValue(Math.max(1, micros));
            }
            all.add(w);
            windows.add(new Interval(s, 1, perSecond, perSecond, 0, model.equals("open") ? rate : Double.NaN, w));
        }
        return of(model, model.equals("open") ? rate : Double.NaN, seconds, all, windows, List.of());
    }

    static RunResult of(String model, double targetRate, double seconds, Histogram corrected, List<Interval> windows,
                        List<String> invalid) {
        long n = corrected.getTotalCount();
        return new RunResult("http://127.0.0.1:1/", model, targetRate, 8, seconds, 0, n, n, n / seconds, Map.of("status", 0L),
                Map.of(200, n), 67 * n, corrected, corrected.copy(), new Histogram(HIGHEST, 3), windows, invalid,
                new RunResult.GeneratorStats(0.05, 0.1, 0.2, 8, 0), List.of(new RunResult.RequestStats("GET /", n, 0, corrected, n, 67 * n)));
    }

    private static double gaussian(SplittableRandom random) {
        // Box–Muller; one of the pair is enough here
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
