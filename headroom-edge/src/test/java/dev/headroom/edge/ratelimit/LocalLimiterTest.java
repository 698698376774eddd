package dev.headroom.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.testkit.FakeClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Local buckets on a fake clock: the burst, the refill to the token, the hierarchy's give-back, the headers, the bound. */
class LocalLimiterTest {
    private static final Function<String, String> NO_HEADERS = name -> null;
    private final FakeClock clock = new FakeClock();

    private RateLimiter limiter(String... levels) {
        RateLimiter.Builder b = RateLimiter.builder().clock(clock::read);
        for (int i = 0; i < levels.length; i += 2) {
            b.level(levels[i], RateLimit.parse(levels[i + 1]));
        }
        return b.build();
    }

    private static Decision check(RateLimiter l, String address) {
        return l.check(address, NO_HEADERS, "shop").toCompletableFuture().join();
    }

    private static int admitted(RateLimiter l, String address, int tries) {
        int n = 0;
        for (int i = 0; i < tries; i++) {
            n += check(l, address).admitted() ? 1 : 0;
        }
        return n;
    }

    @Test
    void theBurstPassesThenOneTokenPerIntervalExactly() {
        try (RateLimiter l = limiter("client", "10/s")) {
            assertThat(admitted(l, "a", 15)).isEqualTo(10);
            clock.advance(Duration.ofMillis(99));
            assertThat(admitted(l, "a", 5)).isZero();
            clock.advance(Duration.ofMillis(1)); // 100 ms: one token
            assertThat(admitted(l, "a", 5)).isEqualTo(1);
            int total = 0;
            for (int ms = 0; ms < 10_000; ms += 10) { // 10 s offered 2x the rate: 100 tokens, no more
                clock.advance(Duration.ofMillis(10));
                total += admitted(l, "a", 2);
            }
            assertThat(total).isEqualTo(100);
            clock.advance(Duration.ofMinutes(5)); // idle: full again, never more than the burst
            assertThat(admitted(l, "a", 20)).isEqualTo(10);
        }
    }

    @Test
    void eachAddressHasItsOwnBucket() {
        try (RateLimiter l = limiter("client", "2/s")) {
            assertThat(admitted(l, "a", 3)).isEqualTo(2);
            assertThat(admitted(l, "b", 3)).isEqualTo(2);
            assertThat(l.admitted()).isEqualTo(4);
            assertThat(l.refused(null)).isEqualTo(2);
        }
    }

    @Test
    void aRefusedRequestCostsTheOtherLevelsNothing() {
        try (RateLimiter l = limiter("client", "2/h", "global", "3/h,key=all")) {
            assertThat(admitted(l, "a", 3)).isEqualTo(2); // a's third: refused by client, global not asked
            Decision b1 = check(l, "b");
            assertThat(b1.admitted()).isTrue(); // global's third token
            Decision b2 = check(l, "b");
            assertThat(b2.refusedBy()).isEqualTo("global");
            assertThat(b2.state()).startsWith("\"client\";r=1;"); // b's client token was given back
            assertThat(check(l, "b").refusedBy()).isEqualTo("global"); // and b's client level still has it
            assertThat(l.refused("client")).isEqualTo(1);
            assertThat(l.refused("global")).isEqualTo(2);
        }
    }

    @Test
    void theHeadersSayThePolicyWhatIsLeftAndWhenToRetry() {
        try (RateLimiter l = limiter("client", "2/s", "global", "100/min,key=all")) {
            Map<String, String> admitted = headers(check(l, "a"));
            assertThat(admitted).containsExactly(Map.entry("RateLimit-Policy", "\"client\";q=2;w=1, \"global\";q=100;w=60"),
                    Map.entry("RateLimit", "\"client\";r=1;t=1, \"global\";r=99;t=1"));
            check(l, "a");
            Decision refused = check(l, "a");
            assertThat(refused.admitted()).isFalse();
            assertThat(headers(refused)).containsEntry("RateLimit", "\"client\";r=0;t=1").containsEntry("Retry-After", "1");
            assertThat(refused.detail()).isEqualTo("rate limit 'client' (2/s,key=address) reached; retry after 1 s");
        }
    }

    @Test
    void retryAfterRoundsUpToWholeSeconds() {
        try (RateLimiter l = limiter("client", "1/min")) {
            check(l, "a");
            clock.advance(Duration.ofMillis(500));
            assertThat(check(l, "a").retryAfterSeconds()).isEqualTo(60);
        }
    }

    @Test
    void pastMaxKeysTheLeastRecentlyUsedBucketIsDropped() {
        try (RateLimiter l = RateLimiter.builder().clock(clock::read).maxKeys(2).level("client", RateLimit.parse("1/h")).build()) {
            check(l, "a");
            check(l, "b");
            check(l, "a"); // a used last: b is the eldest
            check(l, "c"); // b dropped
            assertThat(check(l, "a").admitted()).isFalse(); // kept, still empty
            assertThat(check(l, "b").admitted()).isTrue(); // dropped, so full again
        }
    }

    @Test
    void aLimiterNeedsALevelAndLevelsNeedDistinctNames() {
        assertThatThrownBy(() -> RateLimiter.builder().build()).hasMessageStartingWith("a rate limiter needs at least one level");
        assertThatThrownBy(() -> RateLimiter.builder().level("a", RateLimit.parse("1/s")).level("a", RateLimit.parse("2/s")))
                .hasMessage("two rate limit levels are named 'a'");
        assertThatThrownBy(() -> RateLimiter.builder().level("a b", RateLimit.parse("1/s")))
                .hasMessage("a rate limit level's name must be 1 to 32 letters, digits, '_', '.' or '-', was 'a b'");
        assertThatThrownBy(() -> RateLimiter.builder().redis("localhost:6379"))
                .hasMessage("the rate limits' Redis must be a URL like redis://127.0.0.1:6379, was 'localhost:6379'");
    }

    private static Map<String, String> headers(Decision d) {
        Map<String, String> h = new LinkedHashMap<>();
        d.headers(h::put);
        return h;
    }
}
