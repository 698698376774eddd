package dev.headroom.cache;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition that another thread or instance makes true, failing after a deadline. */
final class Eventually {
    private Eventually() {
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
