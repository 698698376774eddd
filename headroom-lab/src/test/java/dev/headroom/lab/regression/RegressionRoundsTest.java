package dev.headroom.lab.regression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.lab.regression.Rounds.Side;
import dev.headroom.lab.run.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The interleaving (A B B A …), the first invalid run ending the rounds, and the rounds pooled into one result. */
class RegressionRoundsTest {
    private final SplittableRandom random = new SplittableRandom(11);

    @Test
    void eachSideRunsFirstInHalfTheRounds() throws Exception {
        List<String> ran = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        Rounds.Outcome o = Rounds.run(4, (side, round, first) -> {
            ran.add(round + side.name().substring(0, 1) + (first ? "*" : ""));
            return SyntheticRuns.run("open", side == Side.TARGET ? 2.0 : 1.99, 0.1, 100, 1, random);
        }, r -> lines.add(r.line()));
        assertThat(ran).containsExactly("0T*", "0R", "1T", "1R", "2R", "2T", "3T", "3R", "4R", "4T");
        assertThat(o.valid()).isTrue();
        assertThat(o.target()).hasSize(4);
        assertThat(o.reference()).hasSize(4);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("warm-up, not measured: target p50 ").endsWith(" (target first)");
        assertThat(lines.get(2)).matches("round 2/4: target p50 \\d\\.\\d+ ms, p99 \\d\\.\\d+ ms; reference p50 \\d\\.\\d+ ms, p99 \\d\\.\\d+ ms \\(reference first\\)");
        assertThat(lines.get(1)).startsWith("round 1/4: target p50 ").endsWith(" (target first)");
    }

    @Test
    void closedModelLinesCarryTheThroughput() throws Exception {
        List<String> lines = new ArrayList<>();
        Rounds.run(2, (side, round, first) -> SyntheticRuns.run("closed", 2.0, 0.1, 500, 2, random), r -> lines.add(r.line()));
        assertThat(lines.get(1)).matches("round 1/2: target p50 [\\d.]+ ms, p99 [\\d.]+ ms, 500 req/s; reference .* \\(target first\\)");
    }

    @Test
    void theFirstInvalidRunEndsTheRounds() throws Exception {
        List<String> lines = new ArrayList<>();
        Rounds.Outcome o = Rounds.run(6, (side, round, first) -> {
            RunResult r = SyntheticRuns.run("open", 2.0, 0.1, 100, 1, random);
            return (round == 2 || round == 0) && side == Side.REFERENCE
                    ? SyntheticRuns.of("open", 100, 1, r.corrected(), r.intervals(), List.of("schedule lag p99 9.0 ms exceeds 5.0 ms"))
                    : r;
        }, r -> lines.add(r.line()));
        assertThat(o.valid()).isFalse();
        assertThat(o.invalid()).isEqualTo("round 2/6: the reference run is invalid: schedule lag p99 9.0 ms exceeds 5.0 ms");
        assertThat(lines).hasSize(2); // the warm-up's invalid run does not count
        assertThat(o.target()).hasSize(1);
        assertThat(o.reference()).hasSize(2);
        assertThat(o.reference().getLast().valid()).isFalse();
    }

    @Test
    void roundsAreAnEvenNumberOfAtLeastTwo() {
        for (int bad : new int[] {1, 0, 3, -2, 1002}) {
            assertThatThrownBy(() -> Rounds.checkRounds(bad)).hasMessage("must be an even number from 2 to 1000 (each side runs"
                    + " first in half of the rounds, so that drift cancels), was " + bad);
        }
        Rounds.checkRounds(2);
        Rounds.checkRounds(1000);
    }

    @Test
    void poolingAddsTheRoundsUp() {
        RunResult a = SyntheticRuns.run("open", 2.0, 0.1, 100, 2, random);
        RunResult b = SyntheticRuns.of("open", 100, 3, SyntheticRuns.run("open", 3.0, 0.1, 100, 3, random).corrected(),
                SyntheticRuns.run("open", 3.0, 0.1, 100, 3, random).intervals(), List.of("too late"));
        RunResult pooled = RunResults.pool(List.of(a, b), List.of("the reference run is invalid"));
        assertThat(pooled.requests()).isEqualTo(a.requests() + b.requests());
        assertThat(pooled.durationSeconds()).isEqualTo(5);
        assertThat(pooled.corrected().getTotalCount()).isEqualTo(a.corrected().getTotalCount() + b.corrected().getTotalCount());
        assertThat(pooled.intervals()).extracting(w -> w.startSeconds()).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(pooled.targetRate()).isEqualTo(100);
        assertThat(pooled.invalidReasons()).containsExactly("round 2: too late", "the reference run is invalid");
        assertThat(pooled.byName()).singleElement().satisfies(n -> assertThat(n.requests()).isEqualTo(pooled.requests()));
        assertThat(pooled.statuses()).containsEntry(200, pooled.requests());
    }
}
