package dev.headroom.edge.balance;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Chooses an endpoint per request over a set that may change while it runs. Build one with
 * {@link #builder(Algorithm)}; bracket each request sent to the chosen endpoint with {@link Endpoint#begin()} and
 * {@link Endpoint#end(long)}, which is all the feedback the adaptive algorithms need:
 * <pre>{@code
 * Balancer balancer = Balancer.builder(Algorithm.PEAK_EWMA).endpoints(List.of(a, b, c)).build();
 * Endpoint e = balancer.pick(0);
 * e.begin();
 * ... send, wait ...
 * e.end(System.nanoTime() - start);
 * }</pre>
 * Thread-safe; {@link #pick} takes no lock except in {@link Algorithm#WEIGHTED} (one short critical section, as
 * nginx's per-worker state would be shared here).
 */
public interface Balancer {

    /**
     * The endpoint for a request with this {@code key} (read by the hashing algorithms only: requests with the same
     * key go to the same endpoint while the set holds and loads allow); null when the set is empty.
     */
    Endpoint pick(long key);

    /** The endpoints now, in the order given. */
    List<Endpoint> endpoints();

    /**
     * Replaces the set (ids must be distinct). A pick running meanwhile sees the old set or the new one, whole;
     * an endpoint kept (same id) keeps its hash positions, its counters and its latency estimate if it is the same
     * object.
     */
    void setEndpoints(List<Endpoint> endpoints);

    static BalancerBuilder builder(Algorithm algorithm) {
        return new BalancerBuilder(algorithm);
    }

    /** A 64-bit key for a string (a header, a cookie, a path, an address): FNV-1a, then a finalizer to spread its bits. */
    static long key(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return mix(h);
    }

    /** splitmix64's finalizer: every input bit reaches every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
