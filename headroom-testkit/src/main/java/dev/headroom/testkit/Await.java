package dev.headroom.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Waiting in tests for what another thread, node or server does: polls with a deadline and fails with an
 * {@link AssertionError} that says what was waited for and the last value seen. No checked exceptions, so the
 * calls also fit inside loaders and callbacks.
 */
public final class Await {

    /** How long {@link #eventually(BooleanSupplier)} and {@link #until(Callable, Predicate)} wait by default. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(15);
    private static final long POLL_MILLIS = 10;

    private Await() {
    }

    /** Polls {@code condition} until it holds, at most {@link #DEFAULT_LIMIT}. */
    public static void eventually(BooleanSupplier condition) {
        eventually(DEFAULT_LIMIT, condition);
    }

    public static void eventually(Duration limit, BooleanSupplier condition) {
        until(limit, condition::getAsBoolean, Boolean.TRUE::equals);
    }

    /** Reads {@code value} until {@code done} accepts it, at most {@link #DEFAULT_LIMIT}; returns the accepted value. */
    public static <T> T until(Callable<T> value, Predicate<? super T> done) {
        return until(DEFAULT_LIMIT, value, done);
    }

    /**
     * Reads {@code value} until {@code done} accepts it or {@code limit} passes; an exception from {@code value}
     * counts as "not yet" (a server still starting), and the last one is the failure's cause.
     */
    public static <T> T until(Duration limit, Callable<T> value, Predicate<? super T> done) {
        Objects.requireNonNull(limit, "limit must not be null");
        long deadline = System.nanoTime() + limit.toNanos();
        T last = null;
        Exception lastFailure = null;
        while (true) {
            try {
                last = value.call();
                lastFailure = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError error = new AssertionError("condition not met within " + limit.toMillis() + " ms; last value: "
                        + (lastFailure != null ? lastFailure : last));
                if (lastFailure != null) {
                    error.initCause(lastFailure);
                }
                throw error;
            }
            sleep(POLL_MILLIS);
        }
    }

    /** Waits for {@code latch}, at most 10 s (inside loaders, which cannot throw checked exceptions). */
    public static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a latch", e);
        }
    }

    /** {@link Thread#sleep}, keeping the interrupt flag instead of a checked exception. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
