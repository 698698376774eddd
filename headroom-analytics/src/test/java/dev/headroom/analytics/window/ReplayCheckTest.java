package dev.headroom.analytics.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab's late-events check: agrees with the replay on a disordered stream, and sees a window it was told wrongly. */
class ReplayCheckTest {
    private static final List<WindowSpec> WINDOWS = List.of(WindowSpec.tumbling(Duration.ofSeconds(1)),
            WindowSpec.hopping(Duration.ofSeconds(4), Duration.ofSeconds(1)));

    @Test
    void theEngineMatchesTheReplayOnADisorderedStream() {
        List<ExactReplay.Arrival> arrivals = new DisorderedStream(9, 3, 8, 200, 500, 50, 2_000, 300, 0.05, 2_500).arrivals(5_000_000, 6_000);
        ReplayCheck.Outcome o = ReplayCheck.run(arrivals, WINDOWS, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(o.events()).isEqualTo(6_000);
        assertThat(o.counted() + o.late() + o.dropped()).isEqualTo(6_000);
        assertThat(o.late()).as("the stream has late events").isPositive();
        assertThat(o.dropped()).as("and some beyond the allowed lateness").isPositive();
        assertThat(o.windows()).isPositive();
        assertThat(o.mismatches()).isZero();
        assertThat(o.countersMatch()).isTrue();
    }

    @Test
    void aReplayWithOtherRulesDiffers() {
        List<ExactReplay.Arrival> arrivals = new DisorderedStream(9, 3, 8, 200, 500, 50, 2_000, 300, 0.05, 2_500).arrivals(5_000_000, 6_000);
        ExactReplay.Outcome strict = new ExactReplay(WINDOWS, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(5)).replay(arrivals);
        ReplayCheck.Outcome lenient = ReplayCheck.run(arrivals, WINDOWS, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(strict.dropped()).as("no lateness allowed: more dropped than the engine with 1 s").isGreaterThan(lenient.dropped());
    }
}
