package dev.headroom.edge.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The guard's settings: defaults no looser than nginx's, bad values refused with what to change. */
class GuardConfigTest {
    @Test
    void theDefaultsAreNoLooserThanNginxs() {
        GuardConfig c = GuardConfig.defaults();
        assertThat(c.headerTimeout()).isEqualTo(Duration.ofSeconds(10)).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(c.bodyTimeout()).isEqualTo(Duration.ofSeconds(30)).isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(c.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(60)).isLessThanOrEqualTo(Duration.ofSeconds(75));
        assertThat(c.maxConnectionsPerAddress()).isEqualTo(2048);
        assertThat(c.maxConnections()).isEqualTo(GuardConfig.defaultMaxConnections()).isBetween(1, 16_384);
    }

    @Test
    void badSettingsAreRefusedWithWhatToChange() {
        assertThatThrownBy(() -> GuardConfig.builder().headerTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("header timeout must be between 1 ms and 1 h, was 0 ms");
        assertThatThrownBy(() -> GuardConfig.builder().bodyTimeout(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("body timeout must be between 1 ms and 1 h, was 7200000 ms");
        assertThatThrownBy(() -> GuardConfig.builder().keepAliveTimeout(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("keep-alive timeout must be between 1 ms and 1 h, was null");
        assertThatThrownBy(() -> GuardConfig.builder().maxConnections(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max connections must be between 1 and 10000000, was 0");
        assertThatThrownBy(() -> GuardConfig.builder().maxConnections(10).maxConnectionsPerAddress(11).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max connections per address (11) must not exceed max connections (10): lower it or raise max connections");
    }

    @Test
    void aSmallTotalLowersTheDefaultPerAddressLimitWithIt() {
        assertThat(GuardConfig.builder().maxConnections(100).build().maxConnectionsPerAddress()).isEqualTo(100);
    }
}
