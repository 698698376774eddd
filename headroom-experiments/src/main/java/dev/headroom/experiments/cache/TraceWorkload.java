package dev.headroom.experiments.cache;

import dev.headroom.lab.keys.KeyDistribution;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Work;
import dev.headroom.lab.run.Workload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The lab's traffic for one node: product reads, and a share of price changes (admin writes, with the shop's admin
 * token), with Zipf-distributed ids. Every arrival is recorded (read as +id, write as -id, with its time), so that the best possible
 * hit ratio can be computed afterwards on exactly the trace this node's cache saw.
 */
final class TraceWorkload implements Workload {
    static final String READ = "GET /products/{id}";
    static final String WRITE = "PATCH /products/{id}";
    private final KeyDistribution keys;
    private final double writeShare;
    private final SplittableRandom random;
    private final List<Map.Entry<String, String>> writeHeaders;
    private long[] events = new long[1 << 16];
    private long[] times = new long[1 << 16];
    private volatile int size;

    TraceWorkload(KeyDistribution keys, double writeShare, long seed, String adminToken) {
        this.keys = keys;
        this.writeShare = writeShare;
        this.random = new SplittableRandom(seed);
        this.writeHeaders = List.of(Map.entry("Content-Type", "application/json"), Map.entry("Authorization", "Bearer " + adminToken));
    }

    @Override
    public Work arrival(long index) {
        long id = keys.next(random);
        boolean write = random.nextDouble() < writeShare;
        record(write ? -id : id);
        if (write) {
            byte[] body = ("{\"priceCents\": " + (100 + random.nextInt(100_000)) + "}").getBytes(StandardCharsets.UTF_8);
            return new Workload.Fixed(new RequestSpec(WRITE, "PATCH", "/products/" + id, writeHeaders, body));
        }
        return new Workload.Fixed(new RequestSpec(READ, "GET", "/products/" + id, List.of(), null));
    }

    private void record(long event) {
        int n = size;
        if (n == events.length) {
            events = Arrays.copyOf(events, n * 2);
            times = Arrays.copyOf(times, n * 2);
        }
        events[n] = event;
        times[n] = System.nanoTime();
        size = n + 1; // publishes the entry to readers of size()
    }

    /** Arrivals so far (safe from any thread). */
    int size() {
        return size;
    }

    /** A copy of the events so far: +id read, -id write. Call after the run. */
    long[] events() {
        return Arrays.copyOf(events, size);
    }

    long[] times() {
        return Arrays.copyOf(times, size);
    }
}
