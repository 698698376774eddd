package dev.headroom.experiments.edge;

import static dev.headroom.experiments.ProgressLog.seconds;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.Backend;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.experiments.Median;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.proxy.TcpProxy;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One slow node among three: nginx {@code return 200} backends, the third behind a {@link TcpProxy} adding
 * {@link #SLOW_ROUND_TRIP} to each exchange, and the edge (in this JVM, one event loop, no active checks, no slow
 * start) in front of them with each algorithm in turn at the same open-model rate. A fresh edge for every run, so
 * that no algorithm inherits another's estimates; interleaved rounds (A B C D, A B C D …). The share to the slow
 * node is of the edge's tries ({@link EdgeServer#requests}) over the measured part only: the counts at the end of
 * the run's warm-up are subtracted.
 */
final class SlowNodeExperiment {
    static final Duration SLOW_ROUND_TRIP = Duration.ofMillis(50);
    static final List<Algorithm> ALGORITHMS = List.of(Algorithm.ROUND_ROBIN, Algorithm.RANDOM, Algorithm.LEAST_REQUEST, Algorithm.PEAK_EWMA);
    static final String SLOW = "slow";

    private SlowNodeExperiment() {
    }

    /** One run: its latencies and each backend's share of the tries. */
    record Round(double p50Ms, double p99Ms, Map<String, Double> shares, long tries, long errors) {
        double slowShare() {
            return shares.getOrDefault(SLOW, 0.0);
        }
    }

    /** One algorithm's rounds and their medians. */
    record Figures(String algorithm, List<Round> rounds) {
        EdgeLabResult.SlowNode result(double offered) {
            return new EdgeLabResult.SlowNode(Median.of(rounds.stream().map(Round::p99Ms).toList()), Median.of(rounds.stream().map(Round::slowShare).toList()),
                    Median.of(rounds.stream().map(Round::p50Ms).toList()), offered, rounds.size());
        }
    }

    record Run(Map<String, EdgeLabResult.SlowNode> result, List<Figures> algorithms, int connections, List<String> invalid) { }

    /** Connections enough that requests held {@link #SLOW_ROUND_TRIP} by the slow node never leave the generator short. */
    static int connections(double rate) {
        return (int) Math.max(64, Math.ceil(rate * SLOW_ROUND_TRIP.toNanos() / 1e9 * 4));
    }

    static Run run(EdgeLabOptions o, Generator generator, Path folder, ProgressLog progress) throws Exception {
        ProgressLog detail = progress.indented();
        List<String> invalid = new ArrayList<>();
        int connections = connections(o.slowRate());
        List<ServerProcess> nginx = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                nginx.add(Nginx.return200("slow-node-backend-" + i, ServerProcess.freePort(), List.of(), folder));
            }
            try (TcpProxy slow = TcpProxy.builder().upstream("127.0.0.1", nginx.get(2).port()).latency(SLOW_ROUND_TRIP, Duration.ZERO).start()) {
                List<Backend> backends = List.of(new Backend("fast-1", URI.create(nginx.get(0).url()), 1),
                        new Backend("fast-2", URI.create(nginx.get(1).url()), 1),
                        new Backend(SLOW, URI.create("http://127.0.0.1:" + slow.port()), 1));
                progress.line(String.format("slow node: 3 nginx backends, %s behind a TcpProxy adding %d ms; the edge in this JVM (1 event loop); "
                                + "%,.0f/s offered, Poisson arrivals, %d connections, %s + %s measured per run, %d rounds", SLOW,
                        SLOW_ROUND_TRIP.toMillis(), o.slowRate(), connections, seconds(o.runWarmup()), seconds(o.duration()), o.rounds()));
                if (!o.warmup().isZero()) {
                    try (EdgeServer edge = EdgeServer.start(EdgeProcess.config(0, backends, Algorithm.ROUND_ROBIN), detail::line)) {
                        RunResult r = generator.open(edge.url(), o.slowRate(), connections, Duration.ZERO, o.warmup());
                        detail.line(String.format("warm-up: round robin for %s (the edge and generator share this JVM's JIT): %,.0f/s", seconds(o.warmup()),
                                r.achievedRate()));
                    }
                }
                List<List<Round>> byAlgorithm = new ArrayList<>();
                ALGORITHMS.forEach(a -> byAlgorithm.add(new ArrayList<>()));
                for (int round = 1; round <= o.rounds(); round++) {
                    for (int i = 0; i < ALGORITHMS.size(); i++) {
                        Algorithm a = ALGORITHMS.get(i);
                        Round r = measure(o, generator, backends, a, connections, invalid, "slow-node " + a.id() + " round " + round);
                        byAlgorithm.get(i).add(r);
                        detail.line(String.format("round %d %-13s p50 %7.3f ms  p99 %8.3f ms  slow share %6.2f%%  (%,d tries%s)", round, a.id(),
                                r.p50Ms(), r.p99Ms(), 100 * r.slowShare(), r.tries(), r.errors() == 0 ? "" : ", " + r.errors() + " errors"));
                    }
                }
                List<Figures> figures = new ArrayList<>();
                Map<String, EdgeLabResult.SlowNode> result = new LinkedHashMap<>();
                for (int i = 0; i < ALGORITHMS.size(); i++) {
                    Figures f = new Figures(ALGORITHMS.get(i).id(), List.copyOf(byAlgorithm.get(i)));
                    figures.add(f);
                    result.put(f.algorithm(), f.result(o.slowRate()));
                }
                return new Run(result, figures, connections, invalid);
            }
        } finally {
            nginx.reversed().forEach(ServerProcess::close);
        }
    }

    private static Round measure(EdgeLabOptions o, Generator generator, List<Backend> backends, Algorithm algorithm, int connections,
                                 List<String> invalid, String name) throws Exception {
        try (EdgeServer edge = EdgeServer.start(EdgeProcess.config(0, backends, algorithm), line -> { })) {
            CompletableFuture<Map<String, Long>> atWarmupEnd = new CompletableFuture<>();
            RunResult r = generator.open(edge.url(), o.slowRate(), connections, o.runWarmup(), o.duration(),
                    () -> atWarmupEnd.complete(edge.requests(EdgeLab.CLUSTER)));
            Map<String, Long> end = edge.requests(EdgeLab.CLUSTER);
            // a run too short to report progress: all its tries, warm-up included
            Map<String, Long> start = atWarmupEnd.getNow(Map.of());
            long tries = 0;
            for (String id : end.keySet()) {
                tries += end.get(id) - start.getOrDefault(id, 0L);
            }
            Map<String, Double> shares = new LinkedHashMap<>();
            for (String id : end.keySet()) {
                shares.put(id, tries == 0 ? 0 : (double) (end.get(id) - start.getOrDefault(id, 0L)) / tries);
            }
            if (!r.valid()) {
                invalid.add(name + ": " + String.join("; ", r.invalidReasons()));
            }
            Latency l = Latency.of(r.corrected());
            return new Round(l.p50(), l.p99(), shares, tries, r.errorCount());
        }
    }
}
