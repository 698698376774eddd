package dev.headroom.experiments.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.headroom.experiments.cache.CacheLabResult.Check;
import dev.headroom.experiments.cache.CacheLabResult.Configuration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {
    private static final CacheLabResult.Stampede ONE_LOAD = new CacheLabResult.Stampede(1000, 1000, 1, 900, 600);
    private static final CacheLabResult.Outage NO_ERRORS = new CacheLabResult.Outage(50_000, 0, 5, 20, 80, 10, 100, "CLOSED");
    private static final Double LOOPBACK = null;
    private static final Double ONE_MS = 1.0;

    /** A configuration as the checks read it; the figures no check reads are derived from these. */
    private record Config(String name, double hit, Double replay, Double optimal, double p50, double p99, double queriesPerRequest,
                          List<String> invalid) {
        Configuration build() {
            return new Configuration(name, null, null, hit, optimal, replay, p50, 2 * p50, 3 * p50, p99, 2 * p99, 3 * p99, p50 / 5, p50 / 2,
                    p99, p99, 1000, 20_000, 0, 1000 * queriesPerRequest, queriesPerRequest, 0, 0, 0, 1 << 20, invalid, List.of(p99));
        }

        Config hit(double hit, Double replay, Double optimal) {
            return new Config(name, hit, replay, optimal, p50, p99, queriesPerRequest, invalid);
        }

        Config latency(double p50, double p99) {
            return new Config(name, hit, replay, optimal, p50, p99, queriesPerRequest, invalid);
        }

        Config queries(double perRequest) {
            return new Config(name, hit, replay, optimal, p50, p99, perRequest, invalid);
        }

        Config invalid(String reason) {
            return new Config(name, hit, replay, optimal, p50, p99, queriesPerRequest, List.of(reason));
        }
    }

    private static final Config NONE = new Config("none", 0, null, null, 1.0, 4.0, 1.0, List.of());
    private static final Config L1 = new Config("l1", 0.70, 0.70, 0.75, 0.5, 3.0, 0.3, List.of());
    private static final Config LRU = new Config("lru", 0.69, 0.69, 0.75, 0.5, 3.0, 0.31, List.of());
    /** Exactly at every bound against {@link #NONE}: queries and p50 both -80 %. */
    private static final Config L1_L2 = new Config("l1+l2", 0.95, null, null, 0.2, 5.0, 0.2, List.of());

    private static List<Check> checks(Double dbRttMs, Config... configs) {
        return Checks.of(List.of(configs).stream().map(Config::build).toList(), dbRttMs, ONE_LOAD, NO_ERRORS);
    }

    private static Check named(List<Check> checks, String prefix) {
        return checks.stream().filter(c -> c.name().startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no check " + prefix));
    }

    @Test
    void eachCheckPassesAtItsBound() {
        List<Check> atBounds = checks(ONE_MS, NONE, L1.hit(0.60, 0.61, 0.70), LRU.hit(0.61, 0.60, 0.70), L1_L2);
        assertThat(atBounds).extracting(Check::name).containsExactly(
                "l1 hit ratio within 0.01 of its policy replaying the trace",
                "lru hit ratio within 0.01 of its policy replaying the trace",
                "l1+l2 hit ratio >= 0.95",
                "l1+l2 database queries -80 % or better vs none",
                "l1+l2 p50 -80 % or better vs none, the database 1 ms away",
                "stampede: at most 1 database load",
                "outage: 0 request errors",
                "every configuration's run valid");
        assertThat(atBounds).allMatch(Check::passed);
    }

    @Test
    void eachCheckFailsJustPastItsBound() {
        List<Check> past = checks(ONE_MS, NONE, L1.hit(0.60, 0.611, 0.70), LRU.hit(0.611, 0.60, 0.70),
                L1_L2.hit(0.949, null, null).queries(0.201).latency(0.201, 5.0));
        assertThat(past).filteredOn(Check::passed).extracting(Check::name)
                .containsExactly("stampede: at most 1 database load", "outage: 0 request errors", "every configuration's run valid");
        List<Check> failing = Checks.of(List.of(NONE.build()), null, new CacheLabResult.Stampede(1000, 1000, 2, 900, 600),
                new CacheLabResult.Outage(50_000, 1, 5, 20, 80, 10, 100, "OPEN"));
        assertThat(failing).extracting(Check::passed).containsExactly(false, false, true);
    }

    @Test
    void anL1IsHeldToItsPolicyAndItsGapToTheOptimumIsOnlyReported() {
        Check far = named(checks(LOOPBACK, L1.hit(0.712, 0.712, 0.812)), "l1 hit ratio");
        assertThat(far.passed()).isTrue(); // a gap of 0.1 to Belady's MIN fails nothing
        assertThat(far.detail()).isEqualTo("0.712 vs 0.712 for the policy alone (+0.000); Belady's MIN 0.812, a gap of 0.100 (reported, not bounded)");
        assertThat(far.figures().get("optimal_gap")).isCloseTo(0.1, within(1e-9));

        Check below = named(checks(LOOPBACK, L1.hit(0.690, 0.712, 0.762)), "l1 hit ratio");
        assertThat(below.passed()).isFalse();
        assertThat(below.detail()).isEqualTo("0.690 vs 0.712 for the policy alone (-0.022); Belady's MIN 0.762, a gap of 0.072 (reported, not bounded)");
        assertThat(below.figures().keySet()).containsExactly("difference", "optimal_gap");
    }

    @Test
    void theQueryCheckComparesQueriesPerRequestAndSaysWhereTheyWereCounted() {
        Check ok = named(checks(LOOPBACK, NONE.queries(1.002), L1_L2.queries(0.036)), "l1+l2 database queries");
        assertThat(ok.passed()).isTrue();
        assertThat(ok.detail()).isEqualTo("0.036 vs 1.002 per request (-96.4 %; 36 vs 1,002 queries/s), counted by the shop's SQL statement counters");
        Check fewer = named(checks(LOOPBACK, NONE, L1_L2.queries(0.5)), "l1+l2 database queries");
        assertThat(fewer.passed()).isFalse();
        assertThat(fewer.figures()).containsExactly(entry("reduction", 0.5));
        assertThat(named(checks(LOOPBACK, NONE, L1_L2.queries(1.5)), "l1+l2 database queries").detail()).contains("(+50 %;");
    }

    @Test
    void theP50IsBoundedOnlyWithTheDatabaseOneHopAway() {
        Config slowTail = L1_L2.latency(0.15, 9.0); // the p99 is worse than none's, and bounds nothing
        Check hop = named(checks(ONE_MS, NONE, slowTail), "l1+l2 p50");
        assertThat(hop.passed()).isTrue();
        assertThat(hop.detail()).isEqualTo("p50 0.15 vs 1.00 ms (-85 %); mean 0.30 vs 2.00 ms (-85 %), p99 9.00 vs 4.00 ms (+125 %); "
                + "server-side p50 0.030 vs 0.200 ms (-85 %)");
        assertThat(hop.figures()).containsOnlyKeys("reduction", "mean_reduction", "p99_reduction", "server_p50_reduction");
        assertThat(hop.figures().get("p99_reduction")).isEqualTo(-1.25);
        assertThat(named(checks(0.25, NONE, L1_L2.latency(0.3, 1.0)), "l1+l2 p50").passed()).isFalse();
        assertThat(named(checks(0.25, NONE, L1_L2), "l1+l2 p50").name()).isEqualTo("l1+l2 p50 -80 % or better vs none, the database 0.25 ms away");

        List<Config> loopbackRun = List.of(NONE, L1_L2.latency(0.9, 1.0));
        assertThat(checks(LOOPBACK, loopbackRun.toArray(Config[]::new))).extracting(Check::name).noneMatch(n -> n.startsWith("l1+l2 p50"));
        List<Configuration> built = loopbackRun.stream().map(Config::build).toList();
        assertThat(Checks.latencyOnLoopback(built, LOOPBACK)).hasValue("l1+l2 vs none, PostgreSQL on loopback (reported, not bounded): "
                + "p50 0.90 vs 1.00 ms (-10 %); mean 1.80 vs 2.00 ms (-10 %), p99 1.00 vs 4.00 ms (-75 %); server-side p50 0.180 vs 0.200 ms (-10 %)");
        assertThat(Checks.latencyOnLoopback(built, ONE_MS)).isEmpty();
    }

    @Test
    void checksWhoseConfigurationsDidNotRunAreLeftOut() {
        List<Check> checks = checks(ONE_MS, L1_L2);
        assertThat(checks).extracting(Check::name).noneMatch(n -> n.contains("policy") || n.contains("vs none"));
        assertThat(checks).extracting(Check::name).contains("l1+l2 hit ratio >= 0.95");
        assertThat(Checks.latencyOnLoopback(List.of(L1_L2.build()), LOOPBACK)).isEmpty();
    }

    @Test
    void anInvalidRunFailsTheLab() {
        List<Check> checks = checks(LOOPBACK, LRU.invalid("generator fell behind"));
        assertThat(named(checks, "every configuration's run valid").passed()).isFalse();
        assertThat(named(checks, "every configuration's run valid").detail()).isEqualTo("invalid: lru");
    }

    @Test
    void roundsAreReportedByTheirMedianP99AndKeepEveryRoundsFlaws() {
        Configuration a = L1_L2.hit(0.98, null, null).latency(0.2, 3.0).build();
        Configuration b = L1_L2.hit(0.97, null, null).latency(0.2, 1.0).invalid("generator fell behind").build();
        Configuration c = L1_L2.hit(0.99, null, null).latency(0.2, 2.0).build();
        Configuration median = CacheLab.medianByP99(List.of(a, b, c));
        assertThat(median.p99Ms()).isEqualTo(2.0);
        assertThat(median.hitRatio()).isEqualTo(0.99);
        assertThat(median.p99MsRounds()).containsExactly(3.0, 1.0, 2.0);
        assertThat(median.invalidReasons()).containsExactly("generator fell behind");
        assertThat(CacheLab.medianByP99(List.of(a, c)).p99Ms()).isEqualTo(2.0); // the lower middle of an even count
    }
}
