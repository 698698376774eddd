package dev.headroom.analytics.ingest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of NDJSON bodies held at once over all requests: each request's limit alone lets many slow or
 * concurrent uploads hold many times that. A request takes its bytes as they arrive and gives them all back
 * when its answer is sent or its connection is gone.
 */
final class BodyBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    /** One request's share; {@link Share#release()} is idempotent. */
    final class Share {
        private long bytes;

        /** Takes {@code n} more bytes; false (and nothing taken) when the budget has no room for them. */
        boolean take(long n) {
            long now = held.addAndGet(n);
            if (now > limit) {
                held.addAndGet(-n);
                return false;
            }
            bytes += n;
            return true;
        }

        void release() {
            held.addAndGet(-bytes);
            bytes = 0;
        }
    }

    Share share() {
        return new Share();
    }

    long limit() {
        return limit;
    }

    long held() {
        return held.get();
    }
}
