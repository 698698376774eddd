package dev.headroom.experiments.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.experiments.cache.CacheLabResult.Check;
import dev.headroom.experiments.cache.CacheLabResult.Configuration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChecksTest {
    private static final CacheLabResult.Stampede ONE_LOAD = new CacheLabResult.Stampede(1000, 1000, 1, 900, 600);
    private static final CacheLabResult.Outage NO_ERRORS = new CacheLabResult.Outage(50_000, 0, 5, 20, 80, 10, 100, "CLOSED");

    private static Configuration config(String name, double hit, Double optimal, double p99, List<String> invalid) {
        return new Configuration(name, null, null, hit, optimal, optimal == null ? null : hit, p99 / 3, p99 / 2, p99, p99 * 2, p99 * 3, p99, p99,
                1000, 20_000, 0, 10, 0, 0, 0, 1 << 20, invalid, List.of(p99));
    }

    private static Check named(List<Check> checks, String prefix) {
        return checks.stream().filter(c -> c.name().startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no check " + prefix));
    }

    @Test
    void eachCheckPassesAtItsBoundAndFailsJustPastIt() {
        List<Check> atBounds = Checks.of(List.of(config("none", 0, null, 10, List.of()), config("l1", 0.60, 0.65, 9, List.of()),
                config("l1+l2", 0.95, null, 2, List.of())), ONE_LOAD, NO_ERRORS);
        assertThat(atBounds).allMatch(Check::passed);

        List<Check> past = Checks.of(List.of(config("none", 0, null, 10, List.of()), config("l1", 0.60, 0.651, 9, List.of()),
                        config("l1+l2", 0.949, null, 2.01, List.of())),
                new CacheLabResult.Stampede(1000, 1000, 2, 900, 600), new CacheLabResult.Outage(50_000, 1, 5, 20, 80, 10, 100, "OPEN"));
        assertThat(past).filteredOn(Check::passed).extracting(Check::name).containsExactly("every configuration's run valid");
        assertThat(named(past, "l1 hit ratio").detail()).isEqualTo("0.600 vs optimal 0.651 (gap 0.051; the policy alone replaying the trace: 0.600)");
        assertThat(named(past, "l1+l2 p99").detail()).isEqualTo("2.01 ms vs 10.00 ms (0.20x)");
    }

    @Test
    void checksWhoseConfigurationsDidNotRunAreLeftOut() {
        List<Check> checks = Checks.of(List.of(config("l1+l2", 0.99, null, 1, List.of())), ONE_LOAD, NO_ERRORS);
        assertThat(checks).extracting(Check::name).noneMatch(n -> n.startsWith("l1 hit ratio") || n.startsWith("l1+l2 p99"));
        assertThat(checks).extracting(Check::name).anyMatch(n -> n.startsWith("l1+l2 hit ratio"));
    }

    @Test
    void anInvalidRunFailsTheLab() {
        List<Check> checks = Checks.of(List.of(config("lru", 0.7, 0.7, 3, List.of("generator fell behind"))), ONE_LOAD, NO_ERRORS);
        assertThat(named(checks, "every configuration's run valid").passed()).isFalse();
        assertThat(named(checks, "every configuration's run valid").detail()).isEqualTo("invalid: lru");
    }

    @Test
    void roundsAreReportedByTheirMedianP99AndKeepEveryRoundsFlaws() {
        Configuration a = config("l1+l2", 0.98, null, 3.0, List.of());
        Configuration b = config("l1+l2", 0.97, null, 1.0, List.of("generator fell behind"));
        Configuration c = config("l1+l2", 0.99, null, 2.0, List.of());
        Configuration median = CacheLab.medianByP99(List.of(a, b, c));
        assertThat(median.p99Ms()).isEqualTo(2.0);
        assertThat(median.hitRatio()).isEqualTo(0.99);
        assertThat(median.p99MsRounds()).containsExactly(3.0, 1.0, 2.0);
        assertThat(median.invalidReasons()).containsExactly("generator fell behind");
        assertThat(CacheLab.medianByP99(List.of(a, c)).p99Ms()).isEqualTo(2.0); // the lower middle of an even count
    }
}
