package dev.headroom.analytics.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowSpecTest {
    @Test
    void namesSayTheSizeAndTheSlide() {
        assertThat(WindowSpec.tumbling(Duration.ofSeconds(1)).name()).isEqualTo("1s");
        assertThat(WindowSpec.tumbling(Duration.ofMillis(250)).name()).isEqualTo("250ms");
        assertThat(WindowSpec.tumbling(Duration.ofMinutes(1)).name()).isEqualTo("1m");
        assertThat(WindowSpec.hopping(Duration.ofSeconds(10), Duration.ofSeconds(1)).name()).isEqualTo("10s/1s");
        assertThat(WindowSpec.hopping(Duration.ofHours(1), Duration.ofHours(1))).isEqualTo(WindowSpec.tumbling(Duration.ofHours(1)));
    }

    @Test
    void badShapesAreRefusedSayingWhatToChange() {
        assertThatThrownBy(() -> WindowSpec.tumbling(Duration.ZERO))
                .hasMessage("window size must be a positive whole number of milliseconds, was PT0S");
        assertThatThrownBy(() -> WindowSpec.tumbling(Duration.ofNanos(1_500_000)))
                .hasMessage("window size must be a positive whole number of milliseconds, was PT0.0015S");
        assertThatThrownBy(() -> WindowSpec.hopping(Duration.ofSeconds(10), Duration.ofSeconds(3)))
                .hasMessage("window size must be a multiple of its slide, was size 10s and slide 3s");
        assertThatThrownBy(() -> WindowSpec.hopping(Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .hasMessage("window size must be a multiple of its slide, was size 1s and slide 2s");
    }

    @Test
    void windowsOfAnEventTimeAreAlignedToTheEpoch() {
        WindowSpec hop = WindowSpec.hopping(Duration.ofSeconds(10), Duration.ofSeconds(1));
        assertThat(hop.firstEnd(12_345)).isEqualTo(13_000);
        assertThat(hop.lastEnd(12_345)).isEqualTo(22_000);
        assertThat(hop.firstEnd(-1)).isEqualTo(0);
    }
}
