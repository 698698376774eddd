package dev.headroom.lab.keys;

import java.util.random.RandomGenerator;

record Uniform(long low, long high) implements KeyDistribution {
    @Override
    public long next(RandomGenerator random) {
        return random.nextLong(low, high + 1);
    }
}
