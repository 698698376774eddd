package dev.headroom.lab.report;

import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.slo.SloResult;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The end-of-run summary, in the spirit of wrk2: corrected and uncorrected latency side by side. */
public final class ConsoleReport {
    private static final double[] PERCENTILES = {50, 75, 90, 99, 99.9, 99.99, 99.999};

    private ConsoleReport() {
    }

    public static void print(RunResult r, List<SloResult> slos, PrintStream out) {
        out.printf("%n  target    %s (%s model)%n", r.target(), r.model());
        String unit = r.arrivals() == r.requests() ? "req/s" : "arrivals/s";
        if (r.model().equals("open")) {
            out.printf("  rate      %.1f %s achieved of %.1f planned (%.1f%%)%n", r.achievedRate(), unit, r.targetRate(),
                    r.targetRate() > 0 ? 100 * r.achievedRate() / r.targetRate() : 0);
        } else {
            out.printf("  rate      %.1f %s achieved with %d connections%n", r.achievedRate(), unit, r.connections());
        }
        out.printf("  requests  %,d in %.1f s (after %.1f s warm-up), %,d errors%n", r.requests(), r.durationSeconds(),
                r.warmupSeconds(), r.errorCount());
        if (r.arrivals() != r.requests()) {
            out.printf("  journeys  %,d arrivals, %,d later steps (%.1f req/s in all)%n", r.arrivals(), r.requests() - r.arrivals(), r.requestRate());
        }
        out.println();
        out.printf("  %-10s %14s %14s %14s%n", "latency", "corrected ms", "uncorrected", "dispatch delay");
        for (double p : PERCENTILES) {
            out.printf("  %-10s %14.3f %14.3f %14.3f%n", "p" + trim(p), Latency.at(r.corrected(), p),
                    Latency.at(r.uncorrected(), p), Latency.at(r.dispatchDelay(), p));
        }
        out.printf("  %-10s %14.3f %14.3f %14.3f%n", "max", max(r.corrected()), max(r.uncorrected()), max(r.dispatchDelay()));
        out.printf("  %-10s %14.3f %14.3f %14.3f%n%n", "mean", mean(r.corrected()), mean(r.uncorrected()), mean(r.dispatchDelay()));
        if (r.byName().size() > 1) {
            out.printf("  %-24s %10s %8s %10s %10s %10s %10s %12s%n", "request", "requests", "errors", "p50 ms", "p99 ms", "p99.9 ms",
                    "max ms", "bytes/resp");
            for (RunResult.RequestStats n : r.byName()) {
                out.printf("  %-24s %,10d %,8d %10.3f %10.3f %10.3f %10.3f %,12.0f%n", n.name(), n.requests(), n.errors(),
                        Latency.at(n.corrected(), 50), Latency.at(n.corrected(), 99), Latency.at(n.corrected(), 99.9), max(n.corrected()),
                        n.bytesPerResponse());
            }
            out.println();
        }
        if (r.errorCount() > 0) {
            out.print("  errors   ");
            r.errors().forEach((k, v) -> { if (v > 0) out.printf(" %s=%,d", k, v); });
            out.println();
        }
        out.print("  statuses ");
        for (Map.Entry<Integer, Long> e : r.statuses().entrySet()) {
            out.printf(" %d=%,d", e.getKey(), e.getValue());
        }
        out.printf("%n  received  %,d bytes in %,d responses (%,.0f bytes per response, as on the wire)", r.responseBytes(),
                r.responses(), r.bytesPerResponse());
        out.printf("%n  generator %.0f%% of a core, schedule lag p99 %.2f ms (max %.2f ms), %d connections opened%n",
                100 * r.generator().cpuFraction(), r.generator().scheduleLagP99Ms(), r.generator().scheduleLagMaxMs(),
                r.generator().connectionsOpened());
        if (!slos.isEmpty()) {
            out.println();
            for (SloResult s : slos) {
                out.printf("  %-4s %-22s observed %s%n", s.passed() ? "PASS" : "FAIL", s.expr(), s.observed());
            }
        }
        out.println();
        if (r.valid()) {
            out.println("  VALID");
        } else {
            out.println("  INVALID:");
            r.invalidReasons().forEach(reason -> out.println("    - " + reason));
        }
    }

    private static double max(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
    }

    private static double mean(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0;
    }

    static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
