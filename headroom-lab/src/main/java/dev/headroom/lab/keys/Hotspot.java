package dev.headroom.lab.keys;

import java.util.random.RandomGenerator;

/** Keys {@code low..hotHigh} get a {@code hotRate} share of the draws; the rest of the range gets the others. */
record Hotspot(long low, long high, long hotHigh, double hotRate) implements KeyDistribution {
    @Override
    public long next(RandomGenerator random) {
        return random.nextDouble() < hotRate
                ? random.nextLong(low, hotHigh + 1)
                : random.nextLong(hotHigh + 1, high + 1);
    }
}
