package dev.headroom.edge.balance;

/**
 * Google's Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer", NSDI
 * 2016, §3.4): a lookup table of prime size M filled from each endpoint's permutation of the slots, offset =
 * h1(id) mod M, skip = h2(id) mod (M − 1) + 1, the endpoints taking turns, each claiming the next free slot of its
 * permutation, until the table is full; a key goes to {@code table[mix(key) mod M]} (unsigned). Against a ring it
 * spreads keys almost exactly evenly, at the price of a little more disruption when the set changes.
 *
 * <p>Weights: an endpoint of weight w takes w turns in a row per round, so it holds w / W of the slots to within
 * one round (Σ weights slots), so keep Σ weights well below M. The paper leaves weights open; this is a common
 * variant, and with all weights 1 it is the paper's table exactly.
 *
 * <p>Bounded loads ({@link LoadBound}): a key whose endpoint is full walks to the next slots, skipping full
 * endpoints. Consecutive slots belong to endpoints as unrelated as the permutations make them, so a full
 * endpoint's spill spreads over all the others in proportion to their slots, as a ring's does; rehashing the key
 * instead would cost a hash per step for the same spread.
 *
 * <p>Concurrency: the table is published through one volatile field; a pick reads it once, takes no lock and
 * allocates nothing. Cost: O(1) per pick plus O(n) for the bound; a rebuild is O(M log M) expected, and the table
 * holds M references (about 256 KB at the default 65,537).
 */
final class Maglev extends SnapshotBalancer {
    /** A second, independent hash of the id for the skip: the golden ratio's bits keep it apart from h1. */
    private static final long H2_SALT = 0x9e3779b97f4a7c15L;

    private record Table(Endpoint[] slots, Endpoint[] endpoints, long totalWeight) {}

    private final int size;
    private final LoadBound bound;
    private volatile Table table = new Table(new Endpoint[0], new Endpoint[0], 0);

    /** @param size a prime, so that every skip walks the whole table */
    Maglev(int size, double loadBound) {
        this.size = size;
        this.bound = new LoadBound(loadBound);
    }

    @Override
    void rebuilt(Endpoint[] endpoints) {
        Endpoint[] slots = new Endpoint[endpoints.length == 0 ? 0 : size];
        int n = endpoints.length;
        int[] next = new int[n];
        int[] skip = new int[n];
        for (int i = 0; i < n; i++) {
            long h1 = Balancer.key(endpoints[i].id());
            next[i] = (int) Long.remainderUnsigned(h1, size);
            skip[i] = (int) Long.remainderUnsigned(Balancer.mix(h1 ^ H2_SALT), size - 1) + 1;
        }
        int filled = 0;
        while (filled < slots.length) {
            for (int i = 0; i < n && filled < slots.length; i++) {
                for (int turn = 0; turn < endpoints[i].weight() && filled < slots.length; turn++) {
                    while (slots[next[i]] != null) {
                        next[i] = advance(next[i], skip[i]);
                    }
                    slots[next[i]] = endpoints[i];
                    next[i] = advance(next[i], skip[i]);
                    filled++;
                }
            }
        }
        table = new Table(slots, endpoints, LoadBound.totalWeight(endpoints));
    }

    private int advance(int slot, int skip) {
        int s = slot + skip; // both below M ≤ 10,000,019: no overflow
        return s >= size ? s - size : s;
    }

    @Override
    public Endpoint pick(long key) {
        Table t = table;
        int m = t.slots.length;
        if (m == 0) {
            return null;
        }
        int first = (int) Long.remainderUnsigned(Balancer.mix(key), m);
        return bound.pick(t.slots, first, t.endpoints, t.totalWeight);
    }
}
