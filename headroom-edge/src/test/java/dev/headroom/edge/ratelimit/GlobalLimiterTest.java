package dev.headroom.edge.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.headroom.infra.RedisNode;
import dev.headroom.infra.proxy.TcpProxy;
import dev.headroom.testkit.Await;
import dev.headroom.testkit.TestServers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Buckets in a real Redis: shared exactly by several limiters, asynchronous, and failing open when Redis is away. */
class GlobalLimiterTest {
    private static final Function<String, String> NO_HEADERS = name -> null;
    private final RedisNode redis = TestServers.redis();
    private final String prefix = "test:" + UUID.randomUUID() + ":";

    private RateLimiter limiter(String url, String limit) {
        return RateLimiter.builder().redis(url).prefix(prefix).level("global", RateLimit.parse(limit)).build();
    }

    @Test
    void twoLimitersSharingABucketNeverAdmitMoreThanItHoldsTogether() {
        // 50 an hour: a token comes back every 72 s, never during the test, so exactly the burst may pass
        try (RateLimiter edge1 = limiter(redis.uri(), "50/h,key=all"); RateLimiter edge2 = limiter(redis.uri(), "50/h,key=all")) {
            List<CompletableFuture<Decision>> all = new ArrayList<>();
            for (int i = 0; i < 80; i++) { // all in flight at once: the two race on one key
                all.add(edge1.check("10.0.0.1", NO_HEADERS, "r").toCompletableFuture());
                all.add(edge2.check("10.0.0.2", NO_HEADERS, "r").toCompletableFuture());
            }
            long admitted = all.stream().map(CompletableFuture::join).filter(Decision::admitted).count();
            assertThat(admitted).isEqualTo(50);
            assertThat(edge1.admitted() + edge2.admitted()).isEqualTo(50);
            assertThat(edge1.refused(null) + edge2.refused(null)).isEqualTo(110);
            assertThat(edge1.failures() + edge2.failures()).isZero();
        }
    }

    @Test
    void aRefusalFromRedisCarriesTheStateAndRetryAfter() {
        try (RateLimiter l = limiter(redis.uri(), "2/min")) {
            l.check("a", NO_HEADERS, "r").toCompletableFuture().join();
            Decision second = l.check("a", NO_HEADERS, "r").toCompletableFuture().join();
            assertThat(second.state()).startsWith("\"global\";r=0;t=");
            Decision third = l.check("a", NO_HEADERS, "r").toCompletableFuture().join();
            assertThat(third.admitted()).isFalse();
            assertThat(third.retryAfterSeconds()).isBetween(29L, 30L);
        }
    }

    @Test
    void whileRedisIsAwayRequestsPassAndAreCountedThenTheLimitHoldsAgain() {
        try (TcpProxy cut = TcpProxy.builder().upstream(redis.host(), redis.port()).start();
             RateLimiter l = limiter("redis://127.0.0.1:" + cut.port(), "1/h")) {
            assertThat(check(l).admitted()).isTrue();
            assertThat(check(l).admitted()).isFalse();
            cut.refuseNew(true);
            cut.cutAll();
            for (int i = 0; i < 5; i++) {
                Decision d = check(l);
                assertThat(d.admitted()).isTrue(); // fail open
                assertThat(d.state()).isEmpty(); // nothing known to tell the client
            }
            assertThat(l.failures()).isEqualTo(5);
            cut.refuseNew(false); // Lettuce reconnects by itself; the bucket is in Redis, still empty
            Await.eventually(Duration.ofSeconds(10), () -> !check(l).admitted());
        }
    }

    @Test
    void aRedisThatCannotBeReachedAtTheStartIsAnError() {
        try (TcpProxy cut = TcpProxy.builder().upstream(redis.host(), redis.port()).start()) {
            cut.refuseNew(true);
            String url = "redis://127.0.0.1:" + cut.port();
            assertThatThrownBy(() -> limiter(url, "1/s")).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot reach Redis at " + url + " for the rate limits: ");
        }
    }

    private static Decision check(RateLimiter l) {
        return l.check("a", NO_HEADERS, "r").toCompletableFuture().join();
    }
}
