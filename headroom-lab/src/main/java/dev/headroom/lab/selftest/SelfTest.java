package dev.headroom.lab.selftest;

import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedule;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Checks the generator against theory: a local server that answers at once but freezes for
 * {@link #PAUSE} at the start of every {@link #PERIOD} is driven at a fixed rate. A request arriving
 * in a freeze waits for its end, so the waits are uniform on (0, PAUSE] for the fraction
 * f = PAUSE / PERIOD of arrivals, and the corrected latency at quantile q (q > 1 − f) is
 * PAUSE · (1 − (1 − q) / f): with 200 ms every second, p90 ≈ 100 ms and p99 ≈ 190 ms. Latency from
 * the actual send only sees the few requests in flight when a freeze begins (one per connection:
 * 4 of 1000 a second, 0.4 %), so its p99 stays near the quick answer time: the stall that
 * coordinated omission hides.
 */
public final class SelfTest {
    static final Duration PAUSE = Duration.ofMillis(200);
    static final Duration PERIOD = Duration.ofSeconds(1);
    static final double RATE = 1000;
    static final double SECONDS = 10;
    static final int CONNECTIONS = 4;
    /** Allowed distance from theory: the larger of 10 ms and 15 %. */
    static final double ABSOLUTE_MS = 10;
    static final double RELATIVE = 0.15;
    /** Uncorrected p99 must stay below this to show the stall was hidden from it. */
    static final double HIDDEN_BELOW_MS = 20;

    /** One line of the verdict. */
    public record Check(String what, double expectedMs, double observedMs, boolean passed, String rule) {
    }

    public record Outcome(List<Check> checks, RunResult result) {
        public boolean passed() {
            return result.valid() && checks.stream().allMatch(Check::passed);
        }
    }

    private SelfTest() {
    }

    /** Expected corrected latency at percentile {@code p} (0..100) under the freeze, in ms; 0 below the affected tail. */
    static double theory(double p) {
        double f = (double) PAUSE.toNanos() / PERIOD.toNanos();
        double q = p / 100;
        return q <= 1 - f ? 0 : PAUSE.toMillis() * (1 - (1 - q) / f);
    }

    /**
     * Runs the self-test. {@code schedules} makes a constant-rate open-model schedule for
     * (rate, seconds), so the test uses the same schedules as real runs.
     */
    public static Outcome run(BiFunction<Double, Double, Schedule> schedules) throws Exception {
        try (PausingServer server = PausingServer.freezing(PAUSE, PERIOD)) {
            RunResult r = LoadRun.open(URI.create(server.url()), schedules.apply(RATE, SECONDS + 1), Workload.of(RequestSpec.get("/")))
                    .connections(CONNECTIONS).warmup(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(5)).run();
            List<Check> checks = new ArrayList<>();
            for (double p : new double[] {90, 99, 99.9}) {
                double expected = theory(p);
                double observed = Latency.at(r.corrected(), p);
                double tolerance = Math.max(ABSOLUTE_MS, RELATIVE * expected);
                checks.add(new Check("corrected p" + fmt(p), expected, observed, Math.abs(observed - expected) <= tolerance,
                        String.format("within ±%.0f ms of theory", tolerance)));
            }
            double p50 = Latency.at(r.corrected(), 50);
            checks.add(new Check("corrected p50", 0, p50, p50 < ABSOLUTE_MS, String.format("below %.0f ms (most requests miss the freeze)", ABSOLUTE_MS)));
            double hidden = Latency.at(r.uncorrected(), 99);
            checks.add(new Check("uncorrected p99", 0, hidden, hidden < HIDDEN_BELOW_MS,
                    String.format("below %.0f ms: the stall is hidden from send-time latency", HIDDEN_BELOW_MS)));
            return new Outcome(checks, r);
        }
    }

    public static void print(Outcome outcome, PrintStream out) {
        out.printf("selftest: server freezes %d ms every %d ms; %.0f req/s for %.0f s over %d connections%n",
                PAUSE.toMillis(), PERIOD.toMillis(), RATE, SECONDS, CONNECTIONS);
        out.printf("%-17s %12s %12s  %-6s %s%n", "", "expected ms", "observed ms", "", "rule");
        for (Check c : outcome.checks()) {
            out.printf("%-17s %12.1f %12.1f  %-6s %s%n", c.what(), c.expectedMs(), c.observedMs(), c.passed() ? "ok" : "WRONG", c.rule());
        }
        if (!outcome.result().valid()) {
            out.println("run invalid: " + String.join("; ", outcome.result().invalidReasons()));
        }
        out.println(outcome.passed() ? "PASS" : "FAIL");
    }

    private static String fmt(double p) {
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }
}
