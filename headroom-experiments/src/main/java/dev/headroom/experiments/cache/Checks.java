package dev.headroom.experiments.cache;

import dev.headroom.experiments.cache.CacheLabResult.Check;
import dev.headroom.experiments.cache.CacheLabResult.Configuration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The lab's acceptance checks, each stating what it compared; a check whose inputs were not run is left out. */
final class Checks {
    static final double L1_OPTIMAL_GAP = 0.05;
    static final double L1_L2_MIN_HIT_RATIO = 0.95;
    static final double L1_L2_MAX_P99_SHARE = 0.2;
    /** Ratios are differences of doubles: 0.65 - 0.60 is a hair above 0.05, and must not fail a bound it meets. */
    private static final double ROUNDING = 1e-9;

    private Checks() {
    }

    static List<Check> of(List<Configuration> configurations, CacheLabResult.Stampede stampede, CacheLabResult.Outage outage) {
        List<Check> checks = new ArrayList<>();
        find(configurations, "l1").filter(c -> c.optimalHitRatio() != null).ifPresent(l1 -> {
            double gap = l1.optimalHitRatio() - l1.hitRatio();
            checks.add(new Check("l1 hit ratio within " + L1_OPTIMAL_GAP + " of optimal", gap <= L1_OPTIMAL_GAP + ROUNDING,
                    String.format("%.3f vs optimal %.3f (gap %.3f%s)", l1.hitRatio(), l1.optimalHitRatio(), gap,
                            l1.replayHitRatio() == null ? "" : String.format("; the policy alone replaying the trace: %.3f", l1.replayHitRatio()))));
        });
        find(configurations, "l1+l2").ifPresent(c -> checks.add(new Check("l1+l2 hit ratio >= " + L1_L2_MIN_HIT_RATIO,
                c.hitRatio() >= L1_L2_MIN_HIT_RATIO - ROUNDING, String.format("%.3f", c.hitRatio()))));
        Optional<Configuration> none = find(configurations, "none");
        find(configurations, "l1+l2").ifPresent(c -> none.ifPresent(n -> checks.add(new Check(
                "l1+l2 p99 <= " + L1_L2_MAX_P99_SHARE + "x none p99", c.p99Ms() <= L1_L2_MAX_P99_SHARE * n.p99Ms() + ROUNDING,
                String.format("%.2f ms vs %.2f ms (%.2fx)", c.p99Ms(), n.p99Ms(), n.p99Ms() == 0 ? Double.NaN : c.p99Ms() / n.p99Ms())))));
        checks.add(new Check("stampede: at most 1 database load", stampede.dbLoads() <= 1,
                String.format("%d loads for %d requests (%d without coalescing)", stampede.dbLoads(), stampede.requests(),
                        stampede.dbLoadsWithoutCoalescing())));
        checks.add(new Check("outage: 0 request errors", outage.errors() == 0,
                String.format("%d errors in %d requests", outage.errors(), outage.requests())));
        List<String> invalid = configurations.stream().filter(c -> !c.invalidReasons().isEmpty()).map(Configuration::name).toList();
        checks.add(new Check("every configuration's run valid", invalid.isEmpty(),
                invalid.isEmpty() ? "the generator kept its plan in every run" : "invalid: " + String.join(", ", invalid)));
        return checks;
    }

    private static Optional<Configuration> find(List<Configuration> configurations, String name) {
        return configurations.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
