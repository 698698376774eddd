package dev.headroom.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spec's forms: what each means, and a refusal naming the part at fault and the forms accepted. */
class RateLimitTest {
    @Test
    void aRatePerSecondIsPerAddressWithOneSecondsWorthOfBurst() {
        RateLimit l = RateLimit.parse("100/s");
        assertThat(l).isEqualTo(new RateLimit(100, Duration.ofSeconds(1), 100, new RateLimit.Key.Address()));
        assertThat(l.perSecond()).isEqualTo(100.0);
    }

    @Test
    void aRatePerMinuteHoldsAMinutesWorthUnlessABurstIsGiven() {
        assertThat(RateLimit.parse("6000/min")).isEqualTo(new RateLimit(6000, Duration.ofMinutes(1), 6000, new RateLimit.Key.Address()));
        assertThat(RateLimit.parse("6000/min,burst=100").burst()).isEqualTo(100);
        assertThat(RateLimit.parse("6000/min").perSecond()).isEqualTo(100.0);
    }

    @Test
    void keysByHeaderRouteOrAll() {
        assertThat(RateLimit.parse("100/s,key=header:X-Api-Key").key()).isEqualTo(new RateLimit.Key.Header("X-Api-Key"));
        assertThat(RateLimit.parse(" 10/h , key=route ").key()).isEqualTo(new RateLimit.Key.Route());
        assertThat(RateLimit.parse("1000/s,burst=200,key=all")).isEqualTo(new RateLimit(1000, Duration.ofSeconds(1), 200, new RateLimit.Key.All()));
    }

    @Test
    void aHeaderKeyFallsBackToTheAddressWithoutPosingAsOne() {
        RateLimit.Key k = new RateLimit.Key.Header("X-Api-Key");
        assertThat(k.of("10.0.0.1", name -> null, "r")).isEqualTo("@10.0.0.1");
        assertThat(k.of("10.0.0.1", name -> name.equals("X-Api-Key") ? "@10.0.0.1" : null, "r")).isEqualTo("=@10.0.0.1");
    }

    @Test
    void toStringIsTheFormParseTakes() {
        for (String form : new String[] {"100/s,key=address", "6000/min,key=header:X-Api-Key,burst=100", "5/h,key=all"}) {
            assertThat(RateLimit.parse(form)).hasToString(form);
            assertThat(RateLimit.parse(RateLimit.parse(form).toString())).isEqualTo(RateLimit.parse(form));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "100|no '/' between the amount and the period",
            "100/day|the period must be s, min or h",
            "many/s|the amount must be a whole number, was 'many'",
            "0/s|a rate limit's amount must be between 1 and 1000000000, was 0",
            "-5/s|the amount must be a whole number, was '-5'",
            "100/s,key=cookie:session|the key must be address, header:NAME, route or all, was 'cookie:session'",
            "100/s,key=header:|the key must be address, header:NAME, route or all, was 'header:'",
            "100/s,burst=0|a rate limit's burst must be between 1 and 1000000000, was 0",
            "100/s,burst=lots|the burst must be a whole number, was 'lots'",
            "100/s,key=all,key=address|'key=address' is not key=... or burst=N (each at most once)",
            "100/s,per=user|'per=user' is not key=... or burst=N (each at most once)"})
    void badFormsAreRefusedNamingWhatIsWrongAndTheFormsAccepted(String text, String why) {
        assertThatThrownBy(() -> RateLimit.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rate limit must be " + RateLimit.FORMS + "; '" + text + "': " + why);
    }

    @Test
    void anEmptyFormIsRefused() {
        assertThatThrownBy(() -> RateLimit.parse(" ")).hasMessage("a rate limit must be " + RateLimit.FORMS + ", was empty");
    }
}
