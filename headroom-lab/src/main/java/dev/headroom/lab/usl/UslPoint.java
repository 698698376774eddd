package dev.headroom.lab.usl;

/**
 * One measurement for a Universal Scalability Law fit: the throughput a system sustained with
 * {@code concurrency} clients (or threads, nodes, users) at work.
 *
 * @param concurrency the number of clients, at least 1; it may be fractional (a mean over a run)
 * @param throughput what they completed per unit of time (req/s, say), finite and not negative
 */
public record UslPoint(double concurrency, double throughput) {
    public UslPoint {
        if (!(concurrency >= 1) || Double.isInfinite(concurrency)) {
            throw new IllegalArgumentException("concurrency must be a finite number >= 1, was " + concurrency);
        }
        if (!(throughput >= 0) || Double.isInfinite(throughput)) {
            throw new IllegalArgumentException("throughput must be a finite number >= 0, was " + throughput);
        }
    }
}
