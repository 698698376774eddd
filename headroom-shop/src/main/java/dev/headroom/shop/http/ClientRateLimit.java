package dev.headroom.shop.http;

import dev.headroom.edge.ratelimit.Decision;
import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.edge.ratelimit.RateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The guides' "Redis patterns: rate limiting": a token bucket per client (its address, or an API key header) in
 * Redis, so that every shop node counts one limit, before any route's work: past it 429 problem+json with
 * {@code Retry-After} and the {@code RateLimit-Policy} / {@code RateLimit} headers, which admitted answers carry too.
 * Health and metrics are never limited (a balancer's probes must not be refused). Redis down: requests pass (see
 * {@link RateLimiter}). Off (passes everything) when no limit is configured.
 */
public final class ClientRateLimit implements Handler<RoutingContext>, AutoCloseable {
    static final String PREFIX = "headroom:shop:ratelimit:";
    private final RateLimiter limiter;

    private ClientRateLimit(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /**
     * A limit of {@code limit} per client, its buckets in the Redis at {@code redisUri}, closed with {@code vertx}
     * (a verticle of its own that closes it when undeployed); null limit: off.
     */
    public static ClientRateLimit on(Vertx vertx, RateLimit limit, String redisUri) throws Exception {
        if (limit == null) {
            return new ClientRateLimit(null);
        }
        ClientRateLimit on = new ClientRateLimit(RateLimiter.builder().level("client", limit).redis(redisUri).prefix(PREFIX).build());
        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> stop() {
                on.close();
                return Future.succeededFuture();
            }
        }).await(10, TimeUnit.SECONDS);
        return on;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (limiter == null || path.startsWith("/health/") || path.equals("/metrics")) {
            ctx.next();
            return;
        }
        // A body arriving while Redis answers would find no handler and be lost (a 500 on PATCH): it waits, paused, for the
        // route's body handler, which resumes the request.
        boolean body = mayHaveBody(ctx.request().method());
        if (body) {
            ctx.request().pause();
        }
        Context context = ctx.vertx().getOrCreateContext();
        limiter.check(ctx.request().remoteAddress().hostAddress(), ctx.request()::getHeader, path)
                .whenComplete((decision, failure) -> context.runOnContext(v -> decided(ctx, decision, body)));
    }

    private static boolean mayHaveBody(HttpMethod method) {
        return method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
    }

    private static void decided(RoutingContext ctx, Decision decision, boolean paused) {
        if (decision == null) {
            ctx.next(); // a failure the limiter did not turn into a decision: pass, as when Redis is down
            return;
        }
        if (decision.admitted()) {
            decision.headers(ctx.response()::putHeader);
            ctx.next();
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        decision.headers(headers::put);
        Problems.send(ctx.response(), new ApiException(429, "Too Many Requests", decision.detail(), List.of(), headers));
        if (paused) {
            ctx.request().resume(); // the refused body is read and dropped, so that the connection can carry the next request
        }
    }

    /** Requests refused so far. */
    public long refused() {
        return limiter == null ? 0 : limiter.refused(null);
    }

    @Override
    public void close() {
        if (limiter != null) {
            limiter.close();
        }
    }
}
