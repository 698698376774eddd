package dev.headroom.experiments.journey;

import dev.headroom.experiments.ReportFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The journey's result as a console table, JSON (snake case) and a self-contained HTML page (Chart.js inlined). */
public final class JourneyReport {
    private static final String TEMPLATE = "dev/headroom/experiments/journey/journey.html";

    private JourneyReport() {
    }

    public static void console(JourneyResult r, PrintWriter out) {
        out.println();
        JourneyResult.Settings s = r.settings();
        out.printf("journey: %,d users, %,d products, %,d orders; %d shop nodes; every step at %.1f requests/s offered; SLO %s%n",
                s.users(), s.products(), s.orders(), s.nodes(), r.offeredRate(), r.slo());
        out.printf("%-13s %9s %9s %11s %11s %8s %8s %9s  %s%n", "step", "p50 ms", "p99 ms", "throughput", "capacity",
                "x base", "x prev", "stmt/req", "bottleneck");
        List<StepResult> steps = r.steps();
        for (int i = 0; i < steps.size(); i++) {
            StepResult st = steps.get(i);
            out.printf("%-13s %9s %9s %9.0f/s %9.0f/s %8s %8s %9s  %s%s%n", st.name(), ms(st.p50Ms()), ms(st.p99Ms()), st.throughputRps(),
                    st.capacityRps(), speedup(steps.getFirst(), st), i == 0 ? "" : speedup(steps.get(i - 1), st),
                    st.statementsPerRequest() == null ? "-" : String.format("%.2f", st.statementsPerRequest()), st.bottleneck(),
                    st.valid() ? "" : "  INVALID: " + String.join("; ", st.invalidReasons()));
        }
        out.println("(x base, x prev: the p50 at the offered rate, as a speed-up; a percentile is shown only with enough samples: "
                + "p99 needs 1,000)");
        if (!s.slowKinds().isEmpty()) {
            out.println("slow kinds (baseline p50 >= " + (int) Journey.SLOW_MS + " ms): " + String.join(", ", s.slowKinds()));
        }
        for (JourneyResult.Claim c : r.claims()) {
            out.printf("%-5s %s: %s%n", c.holds() ? "holds" : "not", c.claim(), c.measured());
        }
        steps.stream().filter(st -> !st.cpuTopFrames().isEmpty()).forEach(st -> out.printf("hottest methods in %s (JFR, the nodes' whole run): %s%n",
                st.name(), st.cpuTopFrames().stream().limit(5).map(f -> String.format("%s %.1f %%", f.method(), 100 * f.share()))
                        .collect(Collectors.joining(", "))));
        out.println("re-run one step alone:");
        steps.forEach(st -> out.println("  " + st.command()));
        out.printf("%s in %.0f s%n", r.valid() ? "every step measured validly" : "some steps could NOT be measured validly", r.elapsedSeconds());
        out.flush();
    }

    public static void json(JourneyResult r, Path file) throws IOException {
        ReportFiles.json(r, file);
    }

    public static void html(JourneyResult r, Path file) throws IOException {
        Files.writeString(file, render(r));
    }

    static String render(JourneyResult r) throws IOException {
        return ReportFiles.page(TEMPLATE, r);
    }

    /** {@code 12.34}, or {@code -} when the figure was not reported. */
    static String ms(Double ms) {
        if (ms == null) {
            return "-";
        }
        return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
    }

    private static String speedup(StepResult from, StepResult to) {
        return from.p50Ms() == null || to.p50Ms() == null || to.p50Ms() == 0 ? "-" : Claims.times(from.p50Ms() / to.p50Ms());
    }
}
