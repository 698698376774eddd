package dev.headroom.lab.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The once-a-second interval bookkeeping driven with made-up times: the plan starts at 0, the
 * measured part runs from 2 s (after a 2 s warm-up) to 5.5 s.
 */
class IntervalRecorderTest {
    private static final long S = 1_000_000_000L;
    private static final long FROM = 2 * S;
    private static final long TO = 5 * S + S / 2;

    private final List<Progress> progress = new ArrayList<>();
    private final Measurements m = new Measurements(null, 0);
    private final Measurements warmup = new Measurements(null, 0);

    private IntervalRecorder recorder(FixedRate plan, Predicate<List<Interval>> abort) {
        return new IntervalRecorder(plan, m, warmup, progress::add, abort, 0, FROM);
    }

    @Test
    void oneIntervalPerMeasuredSecondAndTheLastStaysOpenUntilTheEnd() {
        IntervalRecorder r = recorder(new FixedRate(100, 5.5), null);
        assertThat(r.second(S, TO, 3, 1)).isFalse(); // warm-up
        assertThat(r.nextWake(S, TO)).isEqualTo(FROM);
        assertThat(warmup.intervals()).hasSize(1);
        assertThat(progress).singleElement().satisfies(p -> {
            assertThat(p.elapsedSeconds()).isEqualTo(-1.0);
            assertThat(p.last()).isNull();
            assertThat(p.inFlight()).isEqualTo(3);
            assertThat(p.queued()).isEqualTo(1);
        });
        r.second(FROM, TO, 0, 0); // the measured part's start: nothing to close yet
        assertThat(r.nextWake(FROM, TO)).isEqualTo(3 * S);
        for (long now = 3 * S; now <= 5 * S; now += S) {
            assertThat(r.second(now, TO, 0, 0)).isFalse();
        }
        assertThat(r.nextWake(5 * S, TO)).isEqualTo(TO); // wake once at the end for the CPU sample
        r.second(TO, TO, 0, 0); // the last interval stays open for late answers
        assertThat(r.nextWake(TO, TO)).isEqualTo(TO + S);
        assertThat(m.intervals()).extracting(Interval::startSeconds).containsExactly(0.0, 1.0, 2.0);
        assertThat(progress).extracting(Progress::elapsedSeconds).containsExactly(-1.0, 1.0, 2.0, 3.0);

        r.closeRest(TO, TO + S / 10);
        assertThat(m.intervals()).extracting(Interval::startSeconds).containsExactly(0.0, 1.0, 2.0, 3.0);
        assertThat(m.intervals()).extracting(Interval::seconds).containsExactly(1.0, 1.0, 1.0, 0.5);
        assertThat(m.intervals()).extracting(Interval::targetRate).containsOnly(100.0);
    }

    @Test
    void theAbortRuleIsAskedAfterEachClosedInterval() {
        IntervalRecorder r = recorder(new FixedRate(100, 5.5), intervals -> intervals.size() == 2);
        assertThat(r.second(3 * S, TO, 0, 0)).isFalse();
        assertThat(r.second(4 * S, TO, 0, 0)).isTrue();
    }

    @Test
    void aClosedModelIntervalHasNoTargetAndNothingIsClosedBeforeMeasuringBegan() {
        IntervalRecorder r = recorder(null, null);
        r.closeRest(TO, FROM - 1);
        assertThat(m.intervals()).isEmpty();
        r.second(3 * S, TO, 0, 0);
        assertThat(m.intervals()).singleElement().satisfies(i -> assertThat(i.targetRate()).isNaN());
    }
}
