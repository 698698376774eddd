package dev.headroom.experiments.edge;

import dev.headroom.experiments.Pause;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.Node;
import dev.headroom.infra.PostgresNode;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * One failover run: the nodes behind a fresh edge, an open-model load, and a third of the way in one node
 * {@code kill -9}ed; once the edge has stopped counting it healthy, the node is restarted on its port and stays in
 * the cluster, to come back when the edge's health machinery lets it (the active checks pass, an ejection's time
 * is up). Times are from the kill: {@code ejectMs} until the node's state left {@code healthy}, {@code rejoinMs}
 * until it was {@code healthy} again, both read from {@link EdgeServer#states} every {@value #POLL_MILLIS} ms
 * (so up to that late); -1 when it did not happen within the run.
 */
final class FailoverRun {
    static final String CLUSTER = "shop";
    static final long POLL_MILLIS = 10;
    /** The node killed: the second of three, so that neither the first nor the last of an order is special. */
    static final int VICTIM = 1;
    static final int CONNECTIONS = 64;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration SETTLE = Duration.ofMillis(500);

    /** What one run measured. */
    record Outcome(boolean resilient, long requests, long errors, Latency latency, long ejectMs, long restartMs, long rejoinMs,
                   FailoverLedger ledger, List<String> invalid) { }

    private FailoverRun() {
    }

    /**
     * The edge's settings: with {@code resilient}, 3 attempts, active checks and passive outlier ejection (the
     * defaults); without, 1 attempt and no active checks. Passive ejection stays on in both: the edge has no
     * setting that turns it off ({@link ClusterSpec} says so), so the run without resilience still ejects a node
     * after its 5th consecutive gateway failure.
     */
    static EdgeConfig edge(FailoverNodes nodes, Algorithm algorithm, boolean resilient) {
        ClusterSpec cluster = resilient ? ClusterSpec.of(CLUSTER, nodes.backends(nodes.list().size()), algorithm, null)
                : new ClusterSpec(CLUSTER, nodes.backends(nodes.list().size()), algorithm, null, null, ClusterSpec.DEFAULT_SLOW_START);
        return EdgeConfig.builder().port(0).adminPort(0).cluster(cluster).attempts(resilient ? EdgeConfig.DEFAULT_ATTEMPTS : 1).build();
    }

    static Outcome run(FailoverNodes nodes, PostgresNode pg, FailoverExperiment.Settings s, double rate, boolean resilient,
                       ProgressLog progress) throws Exception {
        String label = resilient ? "with retries and ejection" : "without retries (attempts 1, no active checks)";
        Duration killAt = s.duration().dividedBy(3);
        progress.line(String.format("failover %s: %.0f/s for %s, %s killed at %s", label, rate, ProgressLog.seconds(s.duration()),
                nodes.get(VICTIM).name(), ProgressLog.seconds(killAt)));
        ProgressLog detail = progress.indented();
        FailoverWorkload load = new FailoverWorkload(resilient ? "failover-retries" : "failover-none", s.postShare(), s.products(),
                s.users(), s.seed() + (resilient ? 1 : 2));
        long lastOrder = FailoverLedger.lastOrderId(pg);
        AtomicLong killedAt = new AtomicLong();
        // The kill is the experiment: Vert.x's error line for each connection the dead node reset would bury the run's own account of it.
        Logger resets = (Logger) LoggerFactory.getLogger("io.vertx.core.net.impl.ConnectionBase");
        Level level = resets.getLevel();
        resets.setLevel(Level.OFF);
        try (EdgeServer edge = EdgeServer.start(edge(nodes, s.algorithm(), resilient),
                line -> detail.line(sinceKill(killedAt.get()) + "edge: " + line))) {
            long start = System.nanoTime();
            long end = start + s.duration().toNanos();
            CompletableFuture<long[]> timeline = CompletableFuture.supplyAsync(
                    () -> killAndRestart(edge, nodes.get(VICTIM), start + killAt.toNanos(), end, killedAt, detail),
                    task -> Thread.ofPlatform().daemon().name("failover-timeline").start(task));
            RunResult run = LoadRun.open(URI.create(edge.url()), Schedules.poisson(Stages.constant(rate, s.duration().toNanos() / 1e9),
                    s.seed() + 11), load).connections(CONNECTIONS).timeout(TIMEOUT).run();
            long[] times = timeline.get(s.duration().toSeconds() + 120, TimeUnit.SECONDS);
            detail.line("edge: tries per node " + edge.requests(CLUSTER) + ", states " + edge.states(CLUSTER));
            // an answer the generator gave up on (after TIMEOUT) may still be committing on a node: let it land before counting
            Thread.sleep(SETTLE.toMillis());
            FailoverLedger ledger = FailoverLedger.check(pg, load, lastOrder);
            Latency latency = Latency.of(run.corrected());
            Outcome o = new Outcome(resilient, run.requests(), run.errorCount(), latency, times[0], times[1], times[2], ledger,
                    run.invalidReasons());
            detail.line(String.format("%,d requests, %,d errors (%.4f %%) %s, p50 %.1f ms, p99 %.1f ms, max %.0f ms; work counted %,d/%,d",
                    o.requests(), o.errors(), o.requests() == 0 ? 0 : 100.0 * o.errors() / o.requests(), run.errors(), latency.p50(),
                    latency.p99(), latency.max(), load.requests(), load.errors()));
            for (RunResult.RequestStats named : run.byName()) {
                Latency l = Latency.of(named.corrected());
                detail.line(String.format("  %s: %,d requests, %,d errors, p50 %.1f ms, p99 %.1f ms", named.name(), named.requests(),
                        named.errors(), l.p50(), l.p99()));
            }
            detail.line(String.format("ejected %s after the kill, restarted after %s, healthy again after %s", millis(o.ejectMs()),
                    millis(o.restartMs()), millis(o.rejoinMs())));
            detail.line(String.format("ledger: %,d POSTs acknowledged, %d missing, %d duplicated; %,d not acknowledged, %,d of them stored anyway",
                    ledger.acknowledged(), ledger.missing(), ledger.duplicated(), ledger.unanswered(), ledger.storedAnyway()));
            if (!run.valid()) {
                detail.line("note: the generator marks the run invalid: " + String.join("; ", run.invalidReasons()));
            }
            return o;
        } finally {
            resets.setLevel(level);
        }
    }

    /**
     * At {@code killAtNanos}, kills the node; polls the edge until it no longer counts the node healthy; restarts it;
     * polls until healthy again or {@code endNanos}. Returns {eject, restart, rejoin} in ms after the kill, -1 for what
     * did not happen.
     */
    private static long[] killAndRestart(EdgeServer edge, Node victim, long killAtNanos, long endNanos, AtomicLong killedAt,
                                         ProgressLog progress) {
        Pause.until(killAtNanos);
        // from the signal, not from kill()'s return: it waits until the process is gone, and the edge may eject meanwhile
        long killed = System.nanoTime();
        killedAt.set(killed);
        victim.kill();
        progress.line(sinceKill(killed) + victim.name() + " killed (SIGKILL)");
        String healthy = victim.name() + "=healthy";
        long ejected = -1;
        while (System.nanoTime() < endNanos) {
            if (!edge.states(CLUSTER).contains(healthy)) {
                ejected = System.nanoTime();
                break;
            }
            Pause.until(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        }
        // restarted once the edge stopped sending to it, as an orchestrator replaces a crashed process; or at the end
        victim.restart();
        long restarted = System.nanoTime();
        progress.line(sinceKill(killed) + victim.name() + " restarted and ready (pid " + victim.pid().map(String::valueOf).orElse("-") + ")");
        long back = -1;
        while (System.nanoTime() < endNanos) {
            if (edge.states(CLUSTER).contains(healthy)) {
                back = System.nanoTime();
                break;
            }
            Pause.until(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
        }
        return new long[] {ms(killed, ejected), ms(killed, restarted), ms(killed, back)};
    }

    private static long ms(long from, long to) {
        return to < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(to - from);
    }

    private static String millis(long ms) {
        return ms < 0 ? "never (within the run)" : ms + " ms";
    }

    private static String sinceKill(long killed) {
        return killed == 0 ? "" : String.format("+%,d ms ", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
    }
}
