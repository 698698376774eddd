package dev.headroom.benchmarks.edge;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.balance.Balancer;
import dev.headroom.edge.balance.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one pick costs per algorithm, with the feedback the adaptive ones need (begin, end) around it, over 16
 * endpoints: the balancer's share of a proxied request. Run by hand:
 * {@code java -jar headroom-benchmarks/target/benchmarks.jar PickBenchmark -prof gc} (the gc profiler shows the
 * allocation per pick, which should be 0).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PickBenchmark {
    @Param({"round-robin", "weighted", "random", "least-request", "peak-ewma", "ring-hash", "maglev"})
    public String algorithm;

    private Balancer balancer;
    private long key;

    @Setup
    public void setUp() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            endpoints.add(new Endpoint("node-" + i, 1 + i % 3));
        }
        balancer = Balancer.builder(Algorithm.parse(algorithm)).endpoints(endpoints).build();
    }

    @Benchmark
    public Endpoint pickAndReport() {
        Endpoint e = balancer.pick(Balancer.mix(key++));
        e.begin();
        e.end(1_000_000L);
        return e;
    }
}
