package dev.headroom.analytics.window;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatermarksTest {
    @Test
    void aSourceWatermarkTrailsItsLargestEventTimeByTheBound() {
        Watermarks w = new Watermarks(200, 1_000, Policy.UNBOUNDED);
        assertThat(w.arrived(1, 1_000, 0)).isEqualTo(800);
        assertThat(w.arrived(1, 900, 10)).as("an older batch does not move it back").isEqualTo(800);
        assertThat(w.arrived(1, 1_500, 20)).isEqualTo(1_300);
    }

    @Test
    void theGlobalWatermarkIsTheLeastOfTheSourcesAndNeverGoesBack() {
        Watermarks w = new Watermarks(0, 10_000, Policy.UNBOUNDED);
        w.arrived(1, 1_000, 0);
        assertThat(w.arrived(2, 500, 0)).as("a source that appears behind does not pull it back").isEqualTo(1_000);
        assertThat(w.arrived(1, 3_000, 1)).as("source 2 holds it").isEqualTo(1_000);
        assertThat(w.arrived(2, 2_000, 2)).isEqualTo(2_000);
    }

    @Test
    void anIdleSourceMovesOnWithTheWallClock() {
        Watermarks w = new Watermarks(0, 1_000, Policy.UNBOUNDED);
        w.arrived(1, 10_000, 0);
        w.arrived(2, 10_000, 0);
        w.arrived(1, 10_800, 800);
        assertThat(w.advance(999)).as("source 2 quiet for less than the timeout").isEqualTo(10_000);
        assertThat(w.advance(1_000)).as("quiet for the timeout: source 2 at 10,000 + 1,000").isEqualTo(10_800);
        w.arrived(1, 12_000, 1_900);
        assertThat(w.advance(1_900)).isEqualTo(11_900);
        assertThat(w.advance(5_000)).as("both idle now: 12,000 + 3,100 and 10,000 + 5,000").isEqualTo(15_000);
    }

    @Test
    void sourcesPastTheBoundShareOneWatermark() {
        Watermarks w = new Watermarks(0, 10_000, 2);
        w.arrived(1, 1_000, 0);
        w.arrived(2, 2_000, 0);
        assertThat(w.arrived(3, 5_000, 0)).as("source 3 is the first past the bound: its own share, it holds nothing back").isEqualTo(1_000);
        w.arrived(1, 9_000, 1);
        assertThat(w.arrived(4, 3_000, 1)).as("source 4 shares source 3's watermark (5,000), not one of its own at 3,000")
                .isEqualTo(2_000);
        w.arrived(2, 9_000, 2);
        assertThat(w.current()).as("the shared watermark holds the global one at 5,000").isEqualTo(5_000);
        w.arrived(99, 8_000, 3);
        assertThat(w.current()).as("any later source moves the shared one").isEqualTo(8_000);
    }
}
