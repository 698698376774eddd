package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The generator's self-check fed made-up CPU samples and wall-clock times: no event loop, no real
 * time. The measured part starts at 10 s; {@code cpu} is the loop's CPU clock the check reads.
 */
class SelfCheckTest {
    private static final long S = 1_000_000_000L;
    private static final long FROM = 10 * S;
    private static final String TAIL = " for a connection: the wait may be its own, not the server's (use a lower --rate,"
            + " a longer --warmup for the JIT, or run the generator on a core of its own)";

    private long cpu;
    private final SelfCheck open = new SelfCheck(true, () -> cpu);

    /** Starts measuring at FROM with the CPU clock at 5 s. */
    private SelfCheck measuring(SelfCheck check) {
        cpu = 5 * S;
        check.measureStarted(FROM);
        return check;
    }

    @Test
    void aMeasuredSecondAtNinetyFivePercentWhileRequestsWaitIsSaturation() {
        measuring(open);
        cpu += 950_000_000;
        open.second(FROM + S, FROM, 44);
        assertThat(open.saturation()).isEqualTo("at 1 s the generator's event loop used 95% of a core while 44 requests waited" + TAIL);
        assertThat(open.invalidReasons(0.5, 1.0)).containsExactly(open.saturation());
    }

    @Test
    void ninetyPercentIsSaturatedAndJustBelowIsNot() {
        measuring(open);
        cpu += 899_999_999;
        open.second(FROM + S, FROM, 1);
        assertThat(open.saturation()).isNull();
        cpu += 900_000_000;
        open.second(FROM + 2 * S, FROM, 1);
        assertThat(open.saturation()).isEqualTo("at 2 s the generator's event loop used 90% of a core while 1 requests waited" + TAIL);
    }

    @Test
    void aBusyLoopWithNothingWaitingIsNotSaturated() {
        measuring(open);
        cpu += S;
        open.second(FROM + S, FROM, 0);
        assertThat(open.saturation()).isNull();
        assertThat(open.invalidReasons(0.5, 1.0)).isEmpty();
    }

    @Test
    void eachSecondIsJudgedAgainstThePreviousSampleNotTheStart() {
        measuring(open);
        cpu += 500_000_000;
        open.second(FROM + S, FROM, 10);
        cpu += 950_000_000; // 72.5 % over both seconds, 95 % in the second one
        open.second(FROM + 2 * S, FROM, 10);
        assertThat(open.saturation()).startsWith("at 2 s the generator's event loop used 95% of a core while 10 requests waited");
    }

    @Test
    void onlyTheFirstSaturatedSecondIsReported() {
        measuring(open);
        cpu += 950_000_000;
        open.second(FROM + S, FROM, 3);
        cpu += S;
        open.second(FROM + 2 * S, FROM, 300);
        assertThat(open.saturation()).startsWith("at 1 s the generator's event loop used 95% of a core while 3 requests waited");
    }

    @Test
    void warmUpSecondsAreNotJudgedAndTheMeasuredPartStartsAFreshBaseline() {
        cpu = 0;
        open.second(FROM - 2 * S, FROM, 0);
        cpu += S; // a cold JIT: 100 % of a core with a queue, before the measured part
        open.second(FROM - S, FROM, 50);
        cpu += S;
        open.second(FROM, FROM, 50); // at the measured part's start, not after it
        assertThat(open.saturation()).isNull();
        open.measureStarted(FROM);
        cpu += 400_000_000;
        open.second(FROM + S, FROM, 50);
        assertThat(open.saturation()).isNull();
    }

    @Test
    void aClosedModelRunIsNeverSaturated() {
        SelfCheck closed = measuring(new SelfCheck(false, () -> cpu));
        cpu += S;
        closed.second(FROM + S, FROM, 64);
        assertThat(closed.saturation()).isNull();
    }

    @Test
    void cpuFractionIsTheLoopsShareOfTheMeasuredPartAndTheFirstEndSampleCounts() {
        measuring(open);
        cpu += 4_500_000_000L;
        open.measureEnded();
        cpu += 3 * S; // after the end: a second call keeps the first sample
        open.measureEnded();
        assertThat(open.cpuFraction(5 * S)).isEqualTo(0.9);
    }

    @Test
    void cpuFractionIsZeroWhenASampleOrTheMeasuredPartIsMissing() {
        SelfCheck neverStarted = new SelfCheck(true, () -> cpu);
        neverStarted.measureEnded();
        assertThat(neverStarted.cpuFraction(5 * S)).isZero();
        assertThat(measuring(new SelfCheck(true, () -> cpu)).cpuFraction(5 * S)).isZero();
        SelfCheck empty = measuring(new SelfCheck(true, () -> cpu));
        empty.measureEnded();
        assertThat(empty.cpuFraction(0)).isZero();
    }

    @Test
    void ninetyFivePercentOfACoreOverTheRunIsInvalid() {
        assertThat(open.invalidReasons(0.95, 0)).containsExactly(
                "the generator's event loop used 95% of a core: it may have delayed requests itself");
        assertThat(open.invalidReasons(0.9499, 0)).isEmpty();
    }

    @Test
    void scheduleLagAboveFiveMillisecondsAtP99IsInvalid() {
        assertThat(open.invalidReasons(0, 5.0)).isEmpty();
        assertThat(open.invalidReasons(0, 7.4)).containsExactly(
                "schedule lag p99 7.4 ms exceeds 5.0 ms: the generator fell behind its own plan");
    }

    @Test
    void reasonsComeInReportOrderCpuSaturationLag() {
        measuring(open);
        cpu += S;
        open.second(FROM + S, FROM, 7);
        assertThat(open.invalidReasons(0.97, 12.0)).containsExactly(
                "the generator's event loop used 97% of a core: it may have delayed requests itself",
                "at 1 s the generator's event loop used 100% of a core while 7 requests waited" + TAIL,
                "schedule lag p99 12.0 ms exceeds 5.0 ms: the generator fell behind its own plan");
    }
}
