package dev.headroom.lab.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The planner's arithmetic is exact where doubles are not, rounds once, at the end, and fails with the flag's name.
 * The console and JSON output are PlanCommandTest's (headroom-cli).
 */
class PlanArithmeticTest {
    private static CapacityPlan plan(long users, String rpm, String headroom, String growth, String instanceRps,
                                     CapacityPlan.Redundancy redundancy, String spare) {
        return CapacityPlan.of(CapacityPlan.Demand.users(users, new BigDecimal(rpm)), new BigDecimal(headroom), new BigDecimal(growth),
                PlanMeasurement.given(new BigDecimal(instanceRps)), redundancy, new BigDecimal(spare));
    }

    @Test
    void theWorkedExample() {
        CapacityPlan p = plan(100_000, "10", "2", "3", "500", CapacityPlan.Redundancy.N_PLUS_1, "50");
        assertThat(new BigInteger[] {p.peakRps(), p.headroomRps(), p.growthRps(), p.targetRps(), p.instancesBase(),
                p.instancesRedundant(), p.instancesWithSpare(), p.instances()})
                .containsExactly(big(16_667), big(33_334), big(50_000), big(50_000), big(100), big(101), big(150), big(150));
    }

    @Test
    void ratesAreCarriedExactly() {
        // 1,000,000 / 60 × 3 is 50,000; carried as the decimal 16,666.67 it would be 50,000.01 and need a 101st instance
        CapacityPlan p = plan(100_000, "10", "1", "3", "500", CapacityPlan.Redundancy.NONE, "0");
        assertThat(p.growthRps()).isEqualTo(big(50_000));
        assertThat(p.instancesBase()).isEqualTo(big(100));
        // a double makes 100 × 1.1 = 110.00000000000001, which rounds up to 111
        CapacityPlan spare = plan(60_000, "50", "1", "1", "500", CapacityPlan.Redundancy.NONE, "10");
        assertThat(spare.instancesBase()).isEqualTo(big(100));
        assertThat(spare.instancesWithSpare()).isEqualTo(big(110));
    }

    @ParameterizedTest(name = "base {0}, {1}, spare {2}% -> {3}")
    @CsvSource({
            "7,   none, 10, 8",   // ⌈7.7⌉
            "10,  n+2,  10, 12",  // the redundancy is a floor: max(12, 11)
            "10,  n+1,  0,  11",
            "10,  n+1,  20, 12",  // max(11, 12): the spare covers a lost instance
            "1,   n+2,  50, 3",
    })
    void instancesAreTheRedundantCountOrTheSparedOneWhicheverIsLarger(long base, String redundancy, String spare, long instances) {
        CapacityPlan p = CapacityPlan.of(CapacityPlan.Demand.peak(BigDecimal.valueOf(base * 100)), BigDecimal.ONE, BigDecimal.ONE,
                PlanMeasurement.given(BigDecimal.valueOf(100)), CapacityPlan.Redundancy.parse(redundancy), new BigDecimal(spare));
        assertThat(p.instancesBase()).isEqualTo(big(base));
        assertThat(p.instances()).isEqualTo(big(instances));
    }

    @Test
    void aSmallPeakStillNeedsOneInstance() {
        CapacityPlan p = CapacityPlan.of(CapacityPlan.Demand.peak(new BigDecimal("0.2")), BigDecimal.ONE, BigDecimal.ONE,
                PlanMeasurement.given(BigDecimal.valueOf(500)), CapacityPlan.Redundancy.NONE, BigDecimal.ZERO);
        assertThat(p.peakRps()).isEqualTo(big(1));
        assertThat(p.instances()).isEqualTo(big(1));
    }

    @Test
    void littlesLawIsExactToo() {
        CapacityPlan p = plan(100_000, "10", "1", "1", "500", CapacityPlan.Redundancy.NONE, "0");
        assertThat(PoolSize.of(p, new BigDecimal("20"), null, 8, 1).connections()).isEqualTo(big(10)); // 500/s × 0.020 s, not 10.000001
        assertThat(PoolSize.of(p, new BigDecimal("20.5"), null, 8, 1).connections()).isEqualTo(big(11));
        assertThat(PoolSize.of(p, null, null, 8, 1).connections()).isNull();
        assertThat(PoolSize.of(p, null, null, 8, 1).ruleOfThumb()).isEqualTo(17);
    }

    @ParameterizedTest(name = "{0} % -> {1} min/month")
    @CsvSource({"99.9, 43.83, 525.96", "99.95, 21.915, 262.98", "99.99, 4.383, 52.596", "99, 438.3, 5259.6"})
    void theErrorBudgetUsesAnAverageMonth(String availability, String month, String year) {
        ErrorBudget b = new ErrorBudget(new BigDecimal(availability));
        assertThat(b.minutesPerMonth()).isEqualByComparingTo(month);
        assertThat(b.minutesPerYear()).isEqualByComparingTo(year);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2x   | 2",
            "2    | 2",
            "1.5X | 1.5",
            "1x   | 1",
    })
    void factorsTakeAnOptionalX(String text, String value) {
        assertThat(PlanValues.factor("--headroom", text)).isEqualByComparingTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "factor  | 0.9x  | --headroom must be a factor of at least 1, like 2x, was '0.9x'",
            "factor  | 2xx   | --headroom must be a factor of at least 1, like 2x, was '2xx'",
            "factor  | NaN   | --headroom must be a factor of at least 1, like 2x, was 'NaN'",
            "percent | 50    | --headroom must be a percentage of at least 0, like 50%, was '50'",
            "percent | %     | --headroom must be a percentage of at least 0, like 50%, was '%'",
            "avail   | 0%    | --headroom must be a percentage above 0 and below 100, like 99.9%, was '0%'",
            "positive| 1e3   | --headroom must be a number above 0, was '1e3'",
            "positive| -0    | --headroom must be a number above 0, was '-0'",
            "whole   | 1.5   | --headroom must be a whole number of at least 1, was '1.5'",
            "whole   | 99999999999999999999 | --headroom must be a whole number of at most 9223372036854775807, was '99999999999999999999'",
    })
    void badValuesNameTheirFlag(String kind, String text, String message) {
        assertThatThrownBy(() -> {
            switch (kind) {
                case "factor" -> PlanValues.factor("--headroom", text);
                case "percent" -> PlanValues.percent("--headroom", text);
                case "avail" -> PlanValues.availability("--headroom", text);
                case "positive" -> PlanValues.positive("--headroom", text);
                default -> PlanValues.whole("--headroom", text, 1);
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void outOfRangeValuesFailInTheModelToo() {
        assertThatThrownBy(() -> plan(10, "1", "0.5", "1", "1", CapacityPlan.Redundancy.NONE, "0"))
                .hasMessage("--headroom must be a factor of at least 1, like 2x, was '0.5x'");
        assertThatThrownBy(() -> plan(10, "1", "1", "1", "1", CapacityPlan.Redundancy.NONE, "-1"))
                .hasMessage("--spare must be a percentage of at least 0, like 50%, was '-1%'");
        assertThatThrownBy(() -> new CapacityPlan.Demand(10L, null, null))
                .hasMessage("--users needs --requests-per-minute N (or give --peak-rps R instead)");
        assertThatThrownBy(() -> new ErrorBudget(BigDecimal.valueOf(100)))
                .hasMessage("--availability must be above 0 and below 100%, was 100%");
        assertThatThrownBy(() -> PoolSize.of(plan(10, "1", "1", "1", "1", CapacityPlan.Redundancy.NONE, "0"), null, null, 0, 1))
                .hasMessage("--cores must be a whole number from 1 to 100000, was '0'");
    }

    private static BigInteger big(long n) {
        return BigInteger.valueOf(n);
    }
}
