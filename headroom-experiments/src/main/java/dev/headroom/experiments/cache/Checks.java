package dev.headroom.experiments.cache;

import dev.headroom.experiments.cache.CacheLabResult.Check;
import dev.headroom.experiments.cache.CacheLabResult.Configuration;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab's acceptance checks, each stating what it compared; a check whose inputs were not run is left out.
 *
 * <p>Each bounds what the cache is answerable for. An L1 is held to its own policy replaying the same trace: the
 * gap to Belady's MIN is the policy's against a clairvoyant bound, reported but not bounded. {@code l1+l2} is held
 * to the database queries it saves, and, with the database one hop away ({@code --db-rtt}), to the median it
 * saves; on loopback the median is mostly loopback HTTP, which no cache removes, so it is reported only
 * ({@link #latencyAgainstNone}).
 */
final class Checks {
    static final double POLICY_TOLERANCE = 0.01;
    static final double L1_L2_MIN_HIT_RATIO = 0.95;
    static final double MIN_QUERY_REDUCTION = 0.80;
    static final double MIN_P50_REDUCTION = 0.80;
    /** Ratios are differences of doubles: 0.65 - 0.60 is a hair above 0.05, and must not fail a bound it meets. */
    private static final double ROUNDING = 1e-9;

    private Checks() {
    }

    /** @param dbRttMs the round trip to the database ({@code --db-rtt}); null on loopback, where no p50 is bounded */
    static List<Check> of(List<Configuration> configurations, Double dbRttMs, CacheLabResult.Stampede stampede, CacheLabResult.Outage outage) {
        List<Check> checks = new ArrayList<>();
        for (String name : List.of("l1", "lru")) {
            find(configurations, name).filter(c -> c.replayHitRatio() != null).ifPresent(c -> checks.add(againstItsPolicy(c)));
        }
        find(configurations, "l1+l2").ifPresent(c -> checks.add(new Check("l1+l2 hit ratio >= " + L1_L2_MIN_HIT_RATIO,
                c.hitRatio() >= L1_L2_MIN_HIT_RATIO - ROUNDING, String.format("%.3f", c.hitRatio()), Map.of())));
        Optional<Configuration> none = find(configurations, "none");
        find(configurations, "l1+l2").ifPresent(c -> none.ifPresent(n -> {
            checks.add(queriesAgainstNone(c, n));
            if (dbRttMs != null) {
                checks.add(p50AgainstNone(c, n, dbRttMs));
            }
        }));
        checks.add(new Check("stampede: at most 1 database load", stampede.dbLoads() <= 1,
                String.format("%d loads for %d requests (%d without coalescing)", stampede.dbLoads(), stampede.requests(),
                        stampede.dbLoadsWithoutCoalescing()), Map.of()));
        checks.add(new Check("outage: 0 request errors", outage.errors() == 0,
                String.format("%d errors in %d requests", outage.errors(), outage.requests()), Map.of()));
        List<String> invalid = configurations.stream().filter(c -> !c.invalidReasons().isEmpty()).map(Configuration::name).toList();
        checks.add(new Check("every configuration's run valid", invalid.isEmpty(),
                invalid.isEmpty() ? "the generator kept its plan in every run" : "invalid: " + String.join(", ", invalid), Map.of()));
        return checks;
    }

    /**
     * On loopback, {@code l1+l2}'s latencies beside {@code none}'s, reported without a bound: the median there is
     * mostly loopback HTTP, which no cache removes. Empty with the database one hop away (a check bounds them then)
     * or when either configuration did not run.
     */
    static Optional<String> latencyOnLoopback(List<Configuration> configurations, Double dbRttMs) {
        Optional<Configuration> none = find(configurations, "none");
        return dbRttMs != null ? Optional.empty()
                : find(configurations, "l1+l2").flatMap(c -> none.map(n -> "l1+l2 vs none, PostgreSQL on loopback (reported, not bounded): "
                        + latencyAgainstNone(c, n)));
    }

    /** The live L1 against its policy alone on the same trace: what the system around the policy costs it, either way. */
    private static Check againstItsPolicy(Configuration c) {
        double difference = c.hitRatio() - c.replayHitRatio();
        double optimalGap = c.optimalHitRatio() - c.hitRatio();
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("difference", difference);
        figures.put("optimal_gap", optimalGap);
        return new Check(c.name() + " hit ratio within " + POLICY_TOLERANCE + " of its policy replaying the trace",
                Math.abs(difference) <= POLICY_TOLERANCE + ROUNDING,
                String.format("%.3f vs %.3f for the policy alone (%+.3f); Belady's MIN %.3f, a gap of %.3f (reported, not bounded)",
                        c.hitRatio(), c.replayHitRatio(), difference, c.optimalHitRatio(), optimalGap), figures);
    }

    private static Check queriesAgainstNone(Configuration cached, Configuration none) {
        double reduction = reduction(cached.dbQueriesPerRequest(), none.dbQueriesPerRequest());
        return new Check("l1+l2 database queries " + percent(-MIN_QUERY_REDUCTION) + " or better vs none",
                reduction >= MIN_QUERY_REDUCTION - ROUNDING,
                String.format("%.3f vs %.3f per request (%s; %,.0f vs %,.0f queries/s), counted by the shop's SQL statement counters",
                        cached.dbQueriesPerRequest(), none.dbQueriesPerRequest(), percent(-reduction), cached.dbQueriesPerS(), none.dbQueriesPerS()),
                Map.of("reduction", reduction));
    }

    private static Check p50AgainstNone(Configuration cached, Configuration none, double dbRttMs) {
        double reduction = reduction(cached.p50Ms(), none.p50Ms());
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("reduction", reduction);
        figures.put("mean_reduction", reduction(cached.meanMs(), none.meanMs()));
        figures.put("p99_reduction", reduction(cached.p99Ms(), none.p99Ms()));
        figures.put("server_p50_reduction", reduction(cached.serverP50Ms(), none.serverP50Ms()));
        return new Check(String.format("l1+l2 p50 %s or better vs none, the database %s ms away", percent(-MIN_P50_REDUCTION), number(dbRttMs)),
                reduction >= MIN_P50_REDUCTION - ROUNDING, latencyAgainstNone(cached, none), figures);
    }

    /** {@code cached}'s latencies beside {@code none}'s: the p50 first, then the mean, the p99 and the server-side p50. */
    static String latencyAgainstNone(Configuration cached, Configuration none) {
        return String.format("p50 %.2f vs %.2f ms (%s); mean %.2f vs %.2f ms (%s), p99 %.2f vs %.2f ms (%s); server-side p50 %.3f vs %.3f ms (%s)",
                cached.p50Ms(), none.p50Ms(), percent(-reduction(cached.p50Ms(), none.p50Ms())),
                cached.meanMs(), none.meanMs(), percent(-reduction(cached.meanMs(), none.meanMs())),
                cached.p99Ms(), none.p99Ms(), percent(-reduction(cached.p99Ms(), none.p99Ms())),
                cached.serverP50Ms(), none.serverP50Ms(), percent(-reduction(cached.serverP50Ms(), none.serverP50Ms())));
    }

    /** How much less {@code cached} is than {@code none}: 0.8 for a fifth of it, below 0 for more; 0 when none is 0 (nothing to save). */
    static double reduction(double cached, double none) {
        return none <= 0 ? 0 : 1 - cached / none;
    }

    /** A change as people write it: {@code -80 %}, {@code +12.5 %}. */
    private static String percent(double change) {
        return (change > 0 ? "+" : change < 0 ? "-" : "") + number(Math.abs(100 * change)) + " %";
    }

    /** 80, 12.5, 0.25: three significant digits at most, no trailing zeros. */
    static String number(double value) {
        return BigDecimal.valueOf(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static Optional<Configuration> find(List<Configuration> configurations, String name) {
        return configurations.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
