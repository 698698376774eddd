package dev.headroom.edge.balance;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Uniformly at random. */
final class RandomChoice extends SnapshotBalancer {
    private final RandomGenerator random;

    /** @param random null: each thread's ThreadLocalRandom */
    RandomChoice(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public Endpoint pick(long key) {
        Endpoint[] e = array();
        return e.length == 0 ? null : e[(random == null ? ThreadLocalRandom.current() : random).nextInt(e.length)];
    }
}
