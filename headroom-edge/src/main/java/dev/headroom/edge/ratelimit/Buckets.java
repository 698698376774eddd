package dev.headroom.edge.ratelimit;

import io.github.bucket4j.ConsumptionProbe;
import java.util.concurrent.CompletionStage;

/** Where a limiter's buckets live: in this process, or in Redis, shared by every limiter pointed at it. */
interface Buckets extends AutoCloseable {
    /** Takes one token from {@code level}'s bucket for {@code key}; fails (exceptionally) only when the store cannot be reached. */
    CompletionStage<ConsumptionProbe> take(Level level, String key);

    /** Gives back a token taken (best effort: a bucket refilled to full in between keeps its capacity). */
    void giveBack(Level level, String key);

    @Override
    void close();
}
