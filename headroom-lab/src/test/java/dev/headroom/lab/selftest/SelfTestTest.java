package dev.headroom.lab.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SelfTestTest {
    @Test
    void theoryPutsTheFreezeInTheTail() {
        // 20 % of arrivals wait uniformly up to 200 ms
        assertThat(SelfTest.theory(50)).isZero();
        assertThat(SelfTest.theory(80)).isZero();
        assertThat(SelfTest.theory(90)).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SelfTest.theory(99)).isCloseTo(190.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(SelfTest.theory(100)).isCloseTo(200.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theGeneratorMatchesTheTheoryAndTheUncorrectedViewHidesTheStall() throws Exception {
        SelfTest.Outcome outcome = SelfTest.run((rate, seconds) -> new dev.headroom.lab.run.FixedRate(rate, seconds));
        SelfTest.print(outcome, System.out);
        assertThat(outcome.checks()).allSatisfy(c -> assertThat(c.passed()).as(c.toString()).isTrue());
    }
}
