package dev.headroom.edge.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;

/** One level of a {@link RateLimiter}: its name (in the headers and in Redis keys), its limit and its buckets' configuration. */
record Level(String name, RateLimit limit, BucketConfiguration configuration) {
    static Level of(String name, RateLimit limit) {
        Bandwidth bandwidth = Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.amount(), limit.period()).build();
        return new Level(name, limit, BucketConfiguration.builder().addLimit(bandwidth).build());
    }
}
