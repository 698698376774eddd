package dev.headroom.edge.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Full jitter: every wait is in [0, min(cap, base × 2^n)), spread over the whole range, and the ceiling doubles up to the cap. */
class BackoffTest {
    private static final long MS = 1_000_000;

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        Backoff b = Backoff.exponential(Duration.ofMillis(25), Duration.ofMillis(250));
        assertThat(new long[] {b.ceilingNanos(0), b.ceilingNanos(1), b.ceilingNanos(2), b.ceilingNanos(3), b.ceilingNanos(4), b.ceilingNanos(70)})
                .containsExactly(25 * MS, 50 * MS, 100 * MS, 200 * MS, 250 * MS, 250 * MS);
    }

    @Test
    void waitsAreUniformBelowTheCeilingWithASeededRandom() {
        Backoff b = Backoff.exponential(Duration.ofMillis(25), Duration.ofMillis(250), new Random(42));
        for (int retry = 0; retry < 6; retry++) {
            long ceiling = b.ceilingNanos(retry);
            long min = Long.MAX_VALUE;
            long max = 0;
            double sum = 0;
            int n = 2_000;
            for (int i = 0; i < n; i++) {
                long d = b.delayNanos(retry);
                assertThat(d).as("retry %d", retry).isBetween(0L, ceiling - 1);
                min = Math.min(min, d);
                max = Math.max(max, d);
                sum += d;
            }
            // full jitter, not "half plus jitter": the waits reach near 0 and near the ceiling, and average half of it
            assertThat(min).as("retry %d: smallest wait", retry).isLessThan(ceiling / 20);
            assertThat(max).as("retry %d: largest wait", retry).isGreaterThan(ceiling - ceiling / 20);
            assertThat(sum / n / ceiling).as("retry %d: mean over ceiling", retry).isBetween(0.45, 0.55);
        }
        Backoff same = Backoff.exponential(Duration.ofMillis(25), Duration.ofMillis(250), new Random(7));
        Backoff again = Backoff.exponential(Duration.ofMillis(25), Duration.ofMillis(250), new Random(7));
        assertThat(same.delayNanos(3)).as("seeded: repeatable").isEqualTo(again.delayNanos(3));
    }

    @Test
    void aZeroBaseNeverWaits() {
        assertThat(Backoff.exponential(Duration.ZERO, Duration.ZERO).delayNanos(5)).isZero();
    }

    @Test
    void badSettingsSayWhatToChange() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(10)))
                .hasMessage("the backoff's cap must be at least its base 100 ms, was PT0.01S");
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(-1), Duration.ofMillis(10)))
                .hasMessage("the backoff's base must be zero or positive, was PT-0.001S");
        assertThatThrownBy(() -> Backoff.ofDefaults().delayNanos(-1)).hasMessage("retry must be 0 (the first) or more, was -1");
    }
}
