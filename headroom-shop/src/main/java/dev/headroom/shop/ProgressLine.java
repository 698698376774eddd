package dev.headroom.shop;

import dev.headroom.shop.seed.SeedProgress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Turns seeding progress into lines like {@code data: orders 400,000/1,000,000 (40%)}, one per table and 10 % step. */
final class ProgressLine implements SeedProgress {
    private final Consumer<String> out;
    private final Map<String, Long> lastStep = new HashMap<>();

    ProgressLine(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public synchronized void update(String table, long done, long total) {
        long step = total == 0 ? 10 : done * 10 / total;
        Long previous = lastStep.put(table, step);
        if (previous == null || previous != step) {
            out.accept(String.format("data: %s %,d/%,d (%d%%)", table, done, total, step * 10));
        }
    }
}
