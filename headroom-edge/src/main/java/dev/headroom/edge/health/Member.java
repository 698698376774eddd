package dev.headroom.edge.health;

import dev.headroom.edge.balance.Endpoint;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One endpoint's health. The request counters are written by every request, so they are atomics and read without
 * the lock; everything else is guarded by the owning {@link EndpointHealth}'s lock.
 */
final class Member {
    /** Added to {@link #interval} per request; failures add 1 on top, so one atomic holds a consistent pair. */
    static final long REQUEST = 1L << 32;

    final Endpoint endpoint;
    final URI check;

    final AtomicInteger consecutive5xx = new AtomicInteger();
    final AtomicInteger consecutiveGateway = new AtomicInteger();
    /** Requests in the high 32 bits, failures in the low 32, since the interval began. */
    final AtomicLong interval = new AtomicLong();

    /** Set once removed, read by the checker's threads to stop rescheduling. */
    volatile boolean removed;

    boolean checkedHealthy = true;
    /** Passed checks in a row when positive, failed ones when negative, capped at the threshold that matters. */
    int checkStreak;
    /** Written by the checker after each answer, cancelled under the lock by remove. */
    volatile ScheduledFuture<?> nextCheck;

    int ejections;
    boolean ejected;
    long ejectedUntil;
    /** When the endpoint was last added or returned from ejection, or its count last decayed. */
    long cleanSince;

    /** Non-null once draining; completed when no request is in flight. */
    CompletableFuture<Void> drained;

    Member(Endpoint endpoint, URI check, long now) {
        this.endpoint = endpoint;
        this.check = check;
        this.cleanSince = now;
    }

    String id() {
        return endpoint.id();
    }

    void resetPassive() {
        consecutive5xx.set(0);
        consecutiveGateway.set(0);
    }
}
