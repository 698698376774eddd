package dev.headroom.edge.balance;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ketama-style consistent hashing: an endpoint of weight w owns w × pointsPerWeight points on a 64-bit ring, point
 * i at {@code Balancer.key(id + "#" + i)}; a key goes to the first point at or after {@code Balancer.mix(key)},
 * wrapping at the end (the ring runs in signed order; any fixed order is a ring). Positions depend only on the id,
 * so adding or removing an endpoint moves only the keys it gains or loses, and a kept endpoint keeps its points:
 * it loses keys only to points added just before its own (another endpoint added or grown), never otherwise.
 *
 * <p>Bounded loads ({@link LoadBound}): a key whose endpoint is full walks on clockwise, point by point, to the
 * first endpoint that is not full. Walking the ring rather than rehashing keeps the spill of one endpoint spread
 * over its points' successors, which are the same every time, so a spilled key also stays where it spilled while
 * loads hold.
 *
 * <p>Concurrency: a rebuild publishes positions and owners together through one volatile field; a pick reads it
 * once, takes no lock and allocates nothing. Cost: O(log points) per pick, plus O(n) for the bound.
 */
final class RingHash extends SnapshotBalancer {
    /** Beyond this the ring costs more memory (12 bytes a point) than any balance it buys. */
    static final long MAX_POINTS = 10_000_000;

    private record Ring(long[] positions, Endpoint[] owners, Endpoint[] endpoints, long totalWeight) {}

    private final int pointsPerWeight;
    private final LoadBound bound;
    private volatile Ring ring = new Ring(new long[0], new Endpoint[0], new Endpoint[0], 0);

    RingHash(int pointsPerWeight, double loadBound) {
        this.pointsPerWeight = pointsPerWeight;
        this.bound = new LoadBound(loadBound);
    }

    @Override
    void rebuilt(Endpoint[] endpoints) {
        long count = LoadBound.totalWeight(endpoints) * pointsPerWeight;
        if (count > MAX_POINTS) {
            throw new IllegalArgumentException("ring hash takes at most " + MAX_POINTS + " points, the weights × "
                    + "ringPointsPerWeight (" + pointsPerWeight + ") give " + count);
        }
        long[] pos = new long[(int) count];
        Endpoint[] own = new Endpoint[(int) count];
        int p = 0;
        for (Endpoint e : endpoints) {
            for (int i = 0; i < e.weight() * pointsPerWeight; i++) {
                pos[p] = Balancer.key(e.id() + "#" + i);
                own[p++] = e;
            }
        }
        // Sort by position, ties (a 64-bit collision: about 3 in 10^8 for a ring of 10^6 points) by id, so the ring
        // does not depend on the order the endpoints were given in.
        Integer[] order = new Integer[p];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> pos[i]).thenComparing(i -> own[i].id()));
        long[] positions = new long[p];
        Endpoint[] owners = new Endpoint[p];
        for (int i = 0; i < p; i++) {
            positions[i] = pos[order[i]];
            owners[i] = own[order[i]];
        }
        ring = new Ring(positions, owners, endpoints, LoadBound.totalWeight(endpoints));
    }

    @Override
    public Endpoint pick(long key) {
        Ring r = ring;
        int n = r.positions.length;
        if (n == 0) {
            return null;
        }
        int first = Arrays.binarySearch(r.positions, Balancer.mix(key));
        if (first < 0) {
            first = -first - 1;
        }
        if (first == n) {
            first = 0;
        }
        return bound.pick(r.owners, first, r.endpoints, r.totalWeight);
    }
}
