package dev.headroom.edge.balance;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Uniformly at random. */
final class RandomChoice extends SnapshotBalancer {
    private final RandomGenerator random;
    private volatile Endpoint[] endpoints = new Endpoint[0];

    /** @param random null: each thread's ThreadLocalRandom */
    RandomChoice(RandomGenerator random) {
        this.random = random;
    }

    @Override
    void rebuilt(Endpoint[] endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public Endpoint pick(long key) {
        Endpoint[] e = endpoints;
        return e.length == 0 ? null : e[(random == null ? ThreadLocalRandom.current() : random).nextInt(e.length)];
    }
}
