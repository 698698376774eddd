package dev.headroom.edge.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The flags' text forms set what they say, and refuse what they cannot read with the form. */
class ResilienceFlagsTest {
    private static Resilience parsed(String budget, String hedge, String breaker) {
        EdgeConfig.Builder b = EdgeTesting.config().cluster(EdgeTesting.cluster("shop", dev.headroom.edge.balance.Algorithm.ROUND_ROBIN,
                java.util.List.of(EdgeTesting.dead("a"))));
        ResilienceFlags.retryBudget(b, budget);
        ResilienceFlags.hedging(b, hedge);
        ResilienceFlags.circuitBreaker(b, breaker);
        return b.build().resilience;
    }

    @Test
    void theFormsSetTheirValues() {
        Resilience r = parsed("10%,min=1", "p97,max=5%", "50%,open=500ms");
        assertThat(r.budgetRatio).isEqualTo(0.1);
        assertThat(r.budgetMin).isEqualTo(1);
        assertThat(r.hedgePercentile).isEqualTo(0.97);
        assertThat(r.hedgeMaxExtra).isEqualTo(0.05);
        assertThat(r.breakerFailureRate).isEqualTo(50);
        assertThat(r.breakerOpenFor).isEqualTo(Duration.ofMillis(500));
        Resilience p999 = parsed("off", "p999", "25%");
        assertThat(p999.budgetRatio).as("off: naive").isNegative();
        assertThat(p999.hedgePercentile).isEqualTo(0.999);
        assertThat(p999.breakerOpenFor).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void whatCannotBeReadIsRefusedWithTheForm() {
        EdgeConfig.Builder b = EdgeConfig.builder();
        assertThatThrownBy(() -> ResilienceFlags.retryBudget(b, "20%,max=3"))
                .hasMessage("the retry budget must be PERCENT%[,min=N] (e.g. 20%,min=3) or off, was '20%,max=3'");
        assertThatThrownBy(() -> ResilienceFlags.hedging(b, "p97,5%")).hasMessage("hedging must be pNN[,max=PERCENT%] (e.g. p97,max=5%) or off, was 'p97,5%'");
        assertThatThrownBy(() -> ResilienceFlags.retryBudget(b, "150%"))
                .hasMessage("the retry budget's ratio must be between 0 and 1 (0 % and 100 % of the requests in flight), was 1.5");
        assertThatThrownBy(() -> ResilienceFlags.circuitBreaker(b, "50%,open=1h"))
                .hasMessage("the circuit breaker must be PERCENT%[,open=DURATION] (e.g. 50%,open=10s), was '50%,open=1h'");
    }
}
