package dev.headroom.edge.balance;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** Configures a {@link Balancer}; every value is checked when set, with the setting named. */
public final class BalancerBuilder {
    public static final double DEFAULT_LOAD_BOUND = 0.25;
    public static final int DEFAULT_RING_POINTS_PER_WEIGHT = 100;
    public static final int DEFAULT_MAGLEV_TABLE_SIZE = 65_537;

    final Algorithm algorithm;
    List<Endpoint> endpoints = List.of();
    RandomGenerator random;
    double loadBound = DEFAULT_LOAD_BOUND;
    int ringPointsPerWeight = DEFAULT_RING_POINTS_PER_WEIGHT;
    int maglevTableSize = DEFAULT_MAGLEV_TABLE_SIZE;

    BalancerBuilder(Algorithm algorithm) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    public BalancerBuilder endpoints(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        return this;
    }

    /**
     * The random source of the random and two-choice algorithms; by default each thread's own
     * ({@code ThreadLocalRandom}). A generator given here is shared by all threads: give a thread-safe one, or
     * use one thread (tests, simulations).
     */
    public BalancerBuilder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /**
     * Hashing only: no endpoint takes more than (1 + ε) × the mean load (requests in flight, this one included);
     * a key whose endpoint is full goes to the next one on the ring or in the table. 0 turns the bound off.
     * Default {@value #DEFAULT_LOAD_BOUND}.
     */
    public BalancerBuilder loadBound(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("loadBound must be 0 (off) or above, was " + epsilon);
        }
        this.loadBound = epsilon;
        return this;
    }

    /** Ring hash only: virtual nodes per unit of weight. Default {@value #DEFAULT_RING_POINTS_PER_WEIGHT}. */
    public BalancerBuilder ringPointsPerWeight(int points) {
        if (points < 1 || points > 10_000) {
            throw new IllegalArgumentException("ringPointsPerWeight must be between 1 and 10000, was " + points);
        }
        this.ringPointsPerWeight = points;
        return this;
    }

    /** Maglev only: the lookup table's size, a prime well above the number of endpoints. Default {@value #DEFAULT_MAGLEV_TABLE_SIZE}. */
    public BalancerBuilder maglevTableSize(int size) {
        if (size < 7 || size > 10_000_019 || !java.math.BigInteger.valueOf(size).isProbablePrime(30)) {
            throw new IllegalArgumentException("maglevTableSize must be a prime between 7 and 10000019, was " + size);
        }
        this.maglevTableSize = size;
        return this;
    }

    public Balancer build() {
        SnapshotBalancer b = switch (algorithm) {
            case ROUND_ROBIN -> new RoundRobin();
            case WEIGHTED -> new SmoothWeighted();
            case RANDOM -> new RandomChoice(random);
            case LEAST_REQUEST -> new TwoChoices(random, TwoChoices.Measure.IN_FLIGHT);
            case PEAK_EWMA -> new TwoChoices(random, TwoChoices.Measure.PEAK_EWMA);
            case RING_HASH -> new RingHash(ringPointsPerWeight, loadBound);
            case MAGLEV -> new Maglev(maglevTableSize, loadBound);
        };
        b.setEndpoints(endpoints);
        return b;
    }
}
