package dev.headroom.experiments.journey;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.scenario.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Measures one step on its started nodes, three ways: throughput ({@link RateSearch}), whose probes also warm the
 * nodes up; latency at the offered rate (half the baseline's throughput, so the baseline's search sets it), with the
 * servers read before and after; and capacity at the SLO, probing below the throughput when needed.
 */
final class StepRun {
    /** Percentiles of the report's spectrum; each shown only with enough samples ({@link Percentiles}). */
    static final double[] SPECTRUM = {0, 10, 25, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99};

    private final JourneyOptions options;
    private final Scenario scenario;
    private final DatabaseStatements db;
    private final long postgresPid;
    private final ProgressLog progress;
    private final Set<Boolean> rehearsed = new HashSet<>();

    StepRun(JourneyOptions options, Scenario scenario, DatabaseStatements db, long postgresPid, ProgressLog progress) {
        this.options = options;
        this.scenario = scenario;
        this.db = db;
        this.postgresPid = postgresPid;
        this.progress = progress;
    }

    /** @param offered the journey's offered rate, or a supplier that finds it from this step's throughput (the baseline) */
    /** @param command the command that re-runs this step alone, given the offered rate */
    StepResult measure(JourneyStep step, ShopCluster cluster, Double offered, DoubleFunction<String> command) throws Exception {
        Timings t = options.timings();
        Load load = new Load(cluster.targets(), scenario, options.seed(), rehearsed);
        RateSearch search = new RateSearch(load, t, options.slo(),
                () -> ServerReading.take(db, cluster.nodes(), cluster.urls(), postgresPid), progress);
        // Throughput first: its probes warm the JIT, the pools and the caches, so the latency run measures a warm system.
        double throughput = search.throughput();
        if (offered == null && throughput == 0) {
            throw new IllegalStateException("the baseline sustained none of the probed rates: no offered rate can be set");
        }
        double rate = offered != null ? offered : throughput / 2;
        if (offered == null) {
            progress.line(String.format("the offered rate for every step: %.1f/s (half of this throughput)", rate));
        }
        ServerReading before = ServerReading.take(db, cluster.nodes(), cluster.urls(), postgresPid);
        RunResult latency = load.open(rate, t.warmup(), t.latency());
        ServerLoad server = before.until(ServerReading.take(db, cluster.nodes(), cluster.urls(), postgresPid));
        Latency l = Latency.of(latency.corrected());
        progress.line(String.format("latency at %.1f/s: p50 %.2f ms, p99 %.2f ms, %,d samples%s", rate, l.p50(), l.p99(),
                latency.corrected().getTotalCount(), latency.valid() ? "" : " (INVALID: " + String.join("; ", latency.invalidReasons()) + ")"));
        RateSearch.Found found = search.capacity(throughput, latency);
        return result(step, command.apply(rate), latency, server, found);
    }

    /**
     * Per-request figures come from the run at the offered rate; the bottleneck and the CPU shares from the highest
     * sustained probe, where the servers are busy: at a few requests a second, a JVM's own JIT and GC would dominate
     * any CPU figure per request.
     */
    private StepResult result(JourneyStep step, String command, RunResult latency, ServerLoad server, RateSearch.Found found) {
        PerRequest at = PerRequest.of(server);
        RateSearch.Probe busiest = found.busiest();
        ServerLoad busy = busiest != null ? busiest.servers() : server;
        PerRequest saturated = busiest != null ? PerRequest.of(busy) : at;
        Latency l = Latency.of(latency.corrected());
        Bottleneck.Named bottleneck = Bottleneck.of(saturated.dbMs(), saturated.connectionMs(), saturated.cpuMs(),
                Latency.of((busiest != null ? busiest.run() : latency).corrected()).mean(), saturated.top());
        Map<String, StepResult.Kind> kinds = new LinkedHashMap<>();
        // Every kind of the workload, also one that drew no request in a short run (a slow step, a loaded machine).
        scenario.names().forEach(name -> kinds.put(name, new StepResult.Kind(0, null, null, null)));
        for (RunResult.RequestStats k : latency.byName()) {
            kinds.put(k.name(), new StepResult.Kind(k.corrected().getTotalCount(), Percentiles.at(k.corrected(), 50),
                    Percentiles.at(k.corrected(), 99), k.responses() == 0 ? null : k.bytesPerResponse()));
        }
        Map<String, Double> spectrum = new LinkedHashMap<>();
        for (double p : SPECTRUM) {
            Double ms = Percentiles.at(latency.corrected(), p);
            if (ms != null) {
                spectrum.put(Double.toString(p), ms);
            }
        }
        spectrum.put("100.0", l.max());
        List<String> invalid = new ArrayList<>(latency.invalidReasons());
        if (found.throughputRps() == 0) {
            invalid.add("no probed rate was sustained");
        }
        return new StepResult(step.name(), step.adds(), step.switches().id(), command, invalid.isEmpty(), List.copyOf(invalid),
                latency.corrected().getTotalCount(), Percentiles.at(latency.corrected(), 50), Percentiles.at(latency.corrected(), 90),
                Percentiles.at(latency.corrected(), 99), Percentiles.at(latency.corrected(), 99.9), l.max(), latency.achievedRate(),
                latency.errorCount(), found.throughputRps(), found.capacityRps(), at.statements(), at.dbMs(), at.connectionMs(),
                busy.nodeCpuPercent(), busy.postgresCpuPercent(), server.metrics().hitRatio(), server.metrics().hitRatios(),
                latency.responses() == 0 ? null : latency.bytesPerResponse(), bottleneck.text(), bottleneck.kind(), at.top(), kinds, found.probes(),
                List.of(), spectrum);
    }
}
