package dev.headroom.experiments.data;

import dev.headroom.experiments.Pause;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.Node;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.Shop;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * A replica lost under load. One shop node with the replicas switch and no cache (every read reaches a server), on
 * the primary and both replicas directly; an open-model load at a fixed rate.
 *
 * <p><b>Kill</b>: reads only; a third into the run {@code replica-1} gets SIGKILL. {@code failoverMs} is from the
 * kill until the node's router reports the replica down (its gauge {@code headroom_replica_down}, read every
 * {@value DataRig#POLL_MILLIS} ms), i.e. until new reads stop being sent to it; reads already on it fail over to
 * another server inside the router (a broken connection is re-run elsewhere), which the run's errors and its longest
 * request show. The replica is restarted afterwards, and the freeze waits until it serves again.
 *
 * <p><b>Freeze</b>: four reads to one {@code POST /orders}; a third into the run {@code replica-1} gets SIGSTOP
 * (connections stay open, nothing answers), two thirds in SIGCONT. {@code ejectedMs} is from the freeze until the
 * router stops counting it serving (down: its polls went unanswered for the router's {@code downAfter}; or ejected:
 * behind by more than its lag bound), {@code backMs} from the thaw until it serves again.
 */
final class ReplicaFailureExperiment {
    static final String VICTIM = "replica-1";
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int CONNECTIONS = 64;

    private ReplicaFailureExperiment() {
    }

    /** Both, kill then freeze, on one node. */
    record Outcome(DataLabResult.ReplicaKill kill, DataLabResult.ReplicaFreeze freeze) { }

    static Outcome run(DataRig rig) throws Exception {
        DataLabOptions o = rig.options();
        ProgressLog progress = rig.progress();
        try (Shop node = Shop.serve(rig.config(DataRig.uncached(true), rig.replicaUrls()).build())) {
            URI url = URI.create(node.url());
            Workload reads = ReadScalingExperiment.reads(o);
            LoadRun.open(url, Schedules.uniform(Stages.constant(o.failureRate(), 2)), reads).connections(CONNECTIONS).run();
            DataLabResult.ReplicaKill kill = kill(rig, node, url, reads);
            Node victim = rig.infra().node(VICTIM);
            victim.restart();
            long serving = DataRig.awaitNanos(System.nanoTime() + Duration.ofSeconds(60).toNanos(), () -> DataRig.inState(node, VICTIM, "serving"));
            progress.indented().line(VICTIM + (serving < 0 ? " restarted, but not serving within 60 s" : " restarted and serving again"));
            DataLabResult.ReplicaFreeze freeze = freeze(rig, node, url, mixed(o, reads));
            return new Outcome(kill, freeze);
        }
    }

    private static DataLabResult.ReplicaKill kill(DataRig rig, Shop node, URI url, Workload reads) throws Exception {
        DataLabOptions o = rig.options();
        Duration d = o.killRun();
        rig.progress().line(String.format("replica kill: reads at %.0f/s for %s on one node over 2 replicas, %s killed (SIGKILL) at %s",
                o.failureRate(), ProgressLog.seconds(d), VICTIM, ProgressLog.seconds(d.dividedBy(3))));
        long started = System.nanoTime();
        CompletableFuture<RunResult> run = background(url, o.failureRate(), d, reads);
        Pause.until(started + d.toNanos() / 3);
        // watched from before the kill: kill() returns only once every process is gone, which takes longer than the router
        CompletableFuture<Long> down = watch(started + d.toNanos() + TIMEOUT.toNanos(), () -> DataRig.inState(node, VICTIM, "down"));
        long killed = System.nanoTime();
        quietly(() -> rig.infra().node(VICTIM).kill());
        RunResult r = run.get();
        Latency l = Latency.of(r.corrected());
        DataLabResult.ReplicaKill k = new DataLabResult.ReplicaKill(r.requests(), r.errorCount(), ms(killed, down.get()), l.max(), l.p99(), o.failureRate());
        rig.progress().indented().line(String.format("%,d requests, %,d errors %s; down in the router %s after the kill; longest request %.1f ms,"
                + " p99 %.1f ms", k.requests(), k.errors(), r.errors(), millis(k.failoverMs()), k.maxLatencyMs(), k.p99Ms()));
        return k;
    }

    private static DataLabResult.ReplicaFreeze freeze(DataRig rig, Shop node, URI url, Workload mixed) throws Exception {
        DataLabOptions o = rig.options();
        Duration d = o.freezeRun();
        rig.progress().line(String.format("replica freeze: reads and POST /orders (4:1) at %.0f/s for %s, %s frozen (SIGSTOP) at %s, thawed at %s",
                o.failureRate(), ProgressLog.seconds(d), VICTIM, ProgressLog.seconds(d.dividedBy(3)), ProgressLog.seconds(d.multipliedBy(2).dividedBy(3))));
        Node victim = rig.infra().node(VICTIM);
        long started = System.nanoTime();
        long thawAt = started + 2 * d.toNanos() / 3;
        CompletableFuture<RunResult> run = background(url, o.failureRate(), d, mixed);
        Pause.until(started + d.toNanos() / 3);
        CompletableFuture<Long> outOfService = watch(thawAt, () -> !DataRig.inState(node, VICTIM, "serving"));
        long frozen = System.nanoTime();
        victim.freeze();
        long out = outOfService.get();
        String state = out < 0 ? "serving" : DataRig.inState(node, VICTIM, "ejected") ? "ejected" : "down";
        Pause.until(thawAt);
        long thawed = System.nanoTime();
        victim.thaw();
        long back = DataRig.awaitNanos(started + d.toNanos() + TIMEOUT.toNanos(), () -> DataRig.inState(node, VICTIM, "serving"));
        RunResult r = run.get();
        Latency l = Latency.of(r.corrected());
        DataLabResult.ReplicaFreeze f = new DataLabResult.ReplicaFreeze(r.requests(), r.errorCount(), ms(frozen, out), state, ms(thawed, back),
                l.max(), l.p99(), o.failureRate());
        rig.progress().indented().line(String.format("%,d requests, %,d errors %s; out of service (%s) %s after the freeze, serving %s after the thaw;"
                + " longest request %.1f ms, p99 %.1f ms", f.requests(), f.errors(), r.errors(), state, millis(f.ejectedMs()), millis(f.backMs()),
                f.maxLatencyMs(), f.p99Ms()));
        return f;
    }

    /** Four of {@code reads} to one {@code POST /orders}. */
    private static Workload mixed(DataLabOptions o, Workload reads) {
        Workload writes = LagExperiment.orders(o);
        return index -> index % 5 == 4 ? writes.arrival(index) : reads.arrival(index);
    }

    /** {@link DataRig#awaitNanos} on a thread of its own, from now. */
    private static CompletableFuture<Long> watch(long deadline, java.util.function.BooleanSupplier test) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return DataRig.awaitNanos(deadline, test);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1L;
            }
        }, task -> Thread.ofPlatform().daemon().name("data-lab-watch").start(task));
    }

    /**
     * Runs {@code kill} with the pool's warnings about broken connections and the embedded server's failure to stop a
     * killed postmaster (both expected) kept out of the console: the router's one-line messages say what happened.
     */
    private static void quietly(Runnable kill) {
        Logger hikari = (Logger) LoggerFactory.getLogger("com.zaxxer.hikari");
        Logger zonky = (Logger) LoggerFactory.getLogger("io.zonky");
        Level hikariLevel = hikari.getLevel();
        Level zonkyLevel = zonky.getLevel();
        hikari.setLevel(Level.ERROR);
        zonky.setLevel(Level.OFF);
        try {
            kill.run();
            sleepQuietly(Duration.ofSeconds(1)); // the pool validates and drops its dead connections in this second
        } finally {
            hikari.setLevel(hikariLevel);
            zonky.setLevel(zonkyLevel);
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<RunResult> background(URI url, double rate, Duration d, Workload workload) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return LoadRun.open(url, Schedules.uniform(Stages.constant(rate, d.toMillis() / 1000.0)), workload).connections(CONNECTIONS)
                        .timeout(TIMEOUT).rehearse(false).run();
            } catch (Exception e) {
                throw new IllegalStateException("the load run failed: " + e.getMessage(), e);
            }
        }, task -> Thread.ofPlatform().name("data-lab-load").start(task));
    }

    private static long ms(long from, long to) {
        return to < 0 ? -1 : (to - from) / 1_000_000;
    }

    private static String millis(long ms) {
        return ms < 0 ? "never (within the run)" : ms + " ms";
    }
}
