package dev.headroom.cache;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting in tests for what another thread or instance does, without checked exceptions, with deadlines. */
final class Waits {
    private Waits() {
    }

    /** Inside loaders, which cannot throw checked exceptions: a latch released by the test, 10 s at most. */
    static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            if (!latch.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void eventually(BooleanSupplier condition) {
        Duration limit = Duration.ofSeconds(15);
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + limit.toSeconds() + " s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
