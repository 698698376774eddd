package dev.headroom.experiments.journey;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.slo.Slo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A step's throughput and its capacity at the SLO, found with a few short open-model probes. Throughput is the
 * highest offered rate whose run was valid and <em>sustained</em>: at least {@value #MIN_ACHIEVED} of the rate
 * achieved, at most {@value #MAX_ERROR_SHARE} of requests failed. Capacity is the highest sustained rate that also
 * met the SLO. A closed-model run first estimates where to look; probes then step down (×{@value #DOWN}) from
 * {@value #START} of that estimate until one is sustained, or up (×{@value #UP}) once when the first already is.
 * The servers are read around every probe, so the busiest sustained one can name the bottleneck.
 */
final class RateSearch {
    static final double MIN_ACHIEVED = 0.95;
    static final double MAX_ERROR_SHARE = 0.01;
    static final double START = 0.9;
    static final double UP = 1.15;
    static final double DOWN = 0.7;
    static final int MAX_DOWN = 5;
    /** Closed-model connections per node for the estimate: enough to fill two cores, few enough not to swamp the baseline. */
    static final int ESTIMATE_CONNECTIONS = 16;

    /** One probe as the report shows it. */
    public record Outcome(double rateRps, double achievedRps, boolean valid, double errorShare, double p99Ms,
                          boolean sustained, boolean metSlo) {
    }

    /** A probe with its run and what the servers did meanwhile (null for the latency run, read by its caller). */
    record Probe(Outcome outcome, RunResult run, ServerLoad servers) {
    }

    /** @param busiest the highest sustained probe; null when none was */
    record Found(double throughputRps, double capacityRps, List<Outcome> probes, Probe busiest) {
    }

    /** Reads the servers, before and after each probe. */
    @FunctionalInterface
    interface Servers {
        ServerReading read() throws Exception;
    }

    private final Load load;
    private final Timings timings;
    private final Slo slo;
    private final Servers servers;
    private final ProgressLog progress;
    private final List<Probe> probes = new ArrayList<>();

    RateSearch(Load load, Timings timings, Slo slo, Servers servers, ProgressLog progress) {
        this.load = load;
        this.timings = timings;
        this.slo = slo;
        this.servers = servers;
        this.progress = progress;
    }

    /** The highest sustained rate found; 0 when even the lowest probe was not sustained. */
    double throughput() throws Exception {
        RunResult estimate = load.closed(ESTIMATE_CONNECTIONS, timings.probeWarmup(), timings.estimate());
        progress.line(String.format("estimate: %.0f/s in the closed model (%d connections per node)", estimate.achievedRate(),
                ESTIMATE_CONNECTIONS));
        double rate = Math.max(1, START * estimate.achievedRate());
        if (probe(rate).sustained()) {
            probe(rate * UP);
        } else {
            for (int i = 0; i < MAX_DOWN && best(false).isEmpty(); i++) {
                rate *= DOWN;
                probe(rate);
            }
        }
        return best(false).map(p -> p.outcome().rateRps()).orElse(0.0);
    }

    /**
     * The highest sustained rate that met the SLO, probing below the throughput when the fastest sustained rate
     * missed it; 0 when none did.
     *
     * @param atOfferedRate the step's latency run, which counts as one more probe
     */
    Found capacity(double throughput, RunResult atOfferedRate) throws Exception {
        probes.add(new Probe(outcome(atOfferedRate), atOfferedRate, null));
        if (throughput > 0 && capacity() < throughput) {
            // the fastest sustained rate misses the SLO: look lower, where queues are short
            for (double share : new double[] {0.5, 0.25}) {
                if (probe(throughput * share).metSlo()) {
                    break;
                }
            }
        }
        Probe busiest = probes.stream().filter(p -> p.servers() != null && p.outcome().sustained())
                .max(Comparator.comparingDouble(p -> p.outcome().rateRps())).orElse(null);
        return new Found(throughput, capacity(), probes.stream().map(Probe::outcome).toList(), busiest);
    }

    private double capacity() {
        return best(true).map(p -> p.outcome().rateRps()).orElse(0.0);
    }

    private Outcome probe(double rate) throws Exception {
        ServerReading before = servers.read();
        RunResult run = load.open(rate, timings.probeWarmup(), timings.probe());
        Outcome o = outcome(run);
        probes.add(new Probe(o, run, before.until(servers.read())));
        progress.line(String.format("probe %.0f/s: achieved %.0f/s, p99 %.1f ms, %.1f %% errors%s%s", o.rateRps(), o.achievedRps(),
                o.p99Ms(), 100 * o.errorShare(), o.valid() ? "" : " (invalid: " + String.join("; ", run.invalidReasons()) + ")",
                !o.sustained() ? ", not sustained" : o.metSlo() ? ", sustained, meets " + slo.expr() : ", sustained, misses " + slo.expr()));
        return o;
    }

    private Outcome outcome(RunResult r) {
        double errorShare = r.requests() == 0 ? 1 : (double) r.errorCount() / r.requests();
        boolean sustained = r.valid() && r.achievedRate() >= MIN_ACHIEVED * r.targetRate() && errorShare <= MAX_ERROR_SHARE;
        return new Outcome(r.targetRate(), r.achievedRate(), r.valid(), errorShare, Latency.at(r.corrected(), 99), sustained,
                sustained && slo.evaluate(r).passed());
    }

    private Optional<Probe> best(boolean meetingSlo) {
        return probes.stream().filter(p -> p.outcome().sustained()).filter(p -> !meetingSlo || p.outcome().metSlo())
                .max(Comparator.comparingDouble(p -> p.outcome().rateRps()));
    }
}
