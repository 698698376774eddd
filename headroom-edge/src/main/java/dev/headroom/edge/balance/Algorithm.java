package dev.headroom.edge.balance;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a {@link Balancer} chooses; {@link #id()} is the name on command lines and in configs. */
public enum Algorithm {
    /** Each endpoint in turn, weights ignored. */
    ROUND_ROBIN("round-robin"),
    /** nginx's smooth weighted round robin: in proportion to weight, spread out (5,1,1 gives a a b a c a a). */
    WEIGHTED("weighted"),
    /** Uniformly at random, weights ignored. */
    RANDOM("random"),
    /** Two endpoints at random, the one with fewer requests in flight (power of two choices). */
    LEAST_REQUEST("least-request"),
    /** Two endpoints at random, the one with the lower peak-EWMA latency × (requests in flight + 1). */
    PEAK_EWMA("peak-ewma"),
    /** A ring of virtual nodes (ketama) on the request's key, with bounded loads. */
    RING_HASH("ring-hash"),
    /** Google's Maglev lookup table on the request's key, with bounded loads. */
    MAGLEV("maglev");

    private final String id;

    Algorithm(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** True for the algorithms that choose by the request's key. */
    public boolean hashes() {
        return this == RING_HASH || this == MAGLEV;
    }

    /** @throws IllegalArgumentException naming the algorithms there are */
    public static Algorithm parse(String text) {
        for (Algorithm a : values()) {
            if (a.id.equals(text.strip().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("the algorithm must be one of " + Arrays.stream(values()).map(Algorithm::id)
                .collect(Collectors.joining(", ")) + ", was '" + text + "'");
    }
}
