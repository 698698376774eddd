package dev.headroom.edge.health;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings fail when set, with the setting and the value named. */
class HealthBuilderTest {
    private final HealthBuilder b = EndpointHealth.builder(Balancer.builder(Algorithm.RANDOM).build());

    @Test
    void badSettingsAreNamedWithTheirValue() {
        assertThatThrownBy(() -> b.unhealthyThreshold(0)).hasMessage("unhealthyThreshold must be at least 1, was 0");
        assertThatThrownBy(() -> b.healthyThreshold(-1)).hasMessage("healthyThreshold must be at least 1, was -1");
        assertThatThrownBy(() -> b.checkInterval(Duration.ZERO)).hasMessage("checkInterval must be at least 1 ms, was 0 ms");
        assertThatThrownBy(() -> b.checkTimeout(Duration.ofMillis(-5))).hasMessage("checkTimeout must be at least 1 ms, was -5 ms");
        assertThatThrownBy(() -> b.checkJitter(1)).hasMessage("checkJitter must be at least 0 and below 1, was 1.0");
        assertThatThrownBy(() -> b.checkPath("health")).hasMessage("checkPath must start with '/', was 'health'");
        assertThatThrownBy(() -> b.consecutive5xx(-1)).hasMessage("consecutive5xx must be 0 (off) or above, was -1");
        assertThatThrownBy(() -> b.consecutiveGatewayFailures(-2)).hasMessage("consecutiveGatewayFailures must be 0 (off) or above, was -2");
        assertThatThrownBy(() -> b.minimumRequests(0)).hasMessage("minimumRequests must be at least 1, was 0");
        assertThatThrownBy(() -> b.minimumHosts(0)).hasMessage("minimumHosts must be at least 1, was 0");
        assertThatThrownBy(() -> b.stdevFactor(Double.NaN)).hasMessage("stdevFactor must be above 0 and finite, was NaN");
        assertThatThrownBy(() -> b.maxEjectedShare(0)).hasMessage("maxEjectedShare must be above 0 and at most 1, was 0.0");
        assertThatThrownBy(() -> b.panicThreshold(1.5)).hasMessage("panicThreshold must be between 0 (off) and 1, was 1.5");
        assertThatThrownBy(() -> b.outlierInterval(Duration.ZERO)).hasMessage("outlierInterval must be at least 1 ms, was 0 ms");
    }

    @Test
    void maxEjectionTimeBelowTheBaseFailsTheBuild() {
        b.baseEjectionTime(Duration.ofSeconds(30)).maxEjectionTime(Duration.ofSeconds(10));
        assertThatThrownBy(b::build).hasMessage("maxEjectionTime must be at least baseEjectionTime (30000 ms), was 10000 ms");
    }

    @Test
    void aBaseThatIsNoHttpUriIsRefused() {
        try (EndpointHealth health = b.activeChecks(false).build()) {
            assertThatThrownBy(() -> health.add(new Endpoint("a", 1), URI.create("/relative")))
                    .hasMessage("base must be an absolute http or https URI, was /relative (endpoint a)");
        }
    }
}
