package dev.headroom.experiments.faults;

import dev.headroom.experiments.Pause;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.edge.FailoverLedger;
import dev.headroom.experiments.edge.FailoverWorkload;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.schedule.Schedule;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One fault under load: open-model Poisson arrivals through the edge ({@link FaultWorkload}); the steady phase;
 * the fault, injected on a thread of its own; the recovery phase from the fault's end, after which the run is
 * stopped (the generator looks once a second, so it ends up to 1 s later); then the ledger.
 *
 * <p>The generator gives up on a request after {@link #TIMEOUT}: above the shop's 5 s wait for a database
 * connection, so a 503 the shop gives after that wait is seen as the 503 it is, not as the generator's timeout.
 */
final class FaultRun {
    static final Duration TIMEOUT = Duration.ofSeconds(6);
    static final int CONNECTIONS = 128;
    /** After the run, before the ledger: an answer the generator gave up on may still be committing. */
    static final Duration SETTLE = Duration.ofMillis(500);

    private FaultRun() {
    }

    /**
     * @param ordinal   the fault's place in the lab's list, for its seeds
     * @param rehearse  whether the generator rehearses first ({@link LoadRun.Builder#rehearse}): the first run only
     */
    static FaultsLabResult.FaultResult run(FaultRig rig, FaultExperiment fault, int ordinal, boolean rehearse, ProgressLog progress)
            throws Exception {
        FaultsLabOptions o = rig.options();
        ProgressLog detail = progress.indented();
        long seed = o.seed() + 100L * ordinal;
        FailoverWorkload orders = new FailoverWorkload("fault-" + fault.name(), 1.0, o.data().products(), o.data().users(), seed + 1);
        Timeline timeline = new Timeline();
        FaultWorkload load = new FaultWorkload(orders, o.data().products(), o.data().users(), seed + 2, timeline);
        long lastOrder = FailoverLedger.lastOrderId(rig.database());
        Duration planned = o.steady().plus(fault.budget(o)).plus(o.recovery()).plusSeconds(2);
        Schedule schedule = Schedules.poisson(Stages.constant(o.rate(), planned.toMillis() / 1000.0), seed + 3);
        progress.line(String.format("%s: %s; %.0f/s, %s steady, then the fault, then %s of recovery", fault.name(), fault.description(o), o.rate(),
                ProgressLog.seconds(o.steady()), ProgressLog.seconds(o.recovery())));

        AtomicLong stopAt = new AtomicLong(Long.MAX_VALUE);
        CompletableFuture<FaultWindow> injected = CompletableFuture.supplyAsync(() -> {
            try {
                Pause.until(load.awaitStart(Duration.ofSeconds(60)) + o.steady().toNanos());
                FaultWindow w = fault.inject(rig, detail);
                stopAt.set((w.ended() ? w.endNanos() : System.nanoTime()) + o.recovery().toNanos());
                return w;
            } catch (Exception e) {
                stopAt.set(System.nanoTime());
                throw new IllegalStateException(fault.name() + " could not be injected: " + e.getMessage(), e);
            }
        }, task -> Thread.ofPlatform().daemon().name("fault-" + fault.name()).start(task));
        RunResult run;
        try (FaultRig.RunningEdge edge = rig.startEdge()) {
            run = LoadRun.open(URI.create(rig.edgeUrl()), schedule, load).connections(CONNECTIONS).timeout(TIMEOUT).rehearse(rehearse)
                    .abortWhen(intervals -> System.nanoTime() >= stopAt.get()).run();
        }
        FaultWindow window = injected.get(planned.toSeconds() + 60, TimeUnit.SECONDS);
        Thread.sleep(SETTLE.toMillis());
        FailoverLedger ledger = FailoverLedger.check(rig.database(), orders, lastOrder);

        Timeline.Analysis a = timeline.analyze(schedule, window, o.sloP99Ms(), o.recovery(), o.sustain());
        FaultsLabResult.FaultResult r = new FaultsLabResult.FaultResult(fault.name(), fault.description(o), run.requests(), run.errorCount(),
                errorsByKind(run), a.before().p99Ms(), a.during().p99Ms(), a.after().p99Ms(), window.millis(), a.recoveryMs(), a.steadySloShare(), ledger.acknowledged(),
                ledger.missing(), ledger.duplicated(), ledger.unanswered(), ledger.storedAnyway(), a.before(), a.during(), a.after(), load.causes(), a.buckets(),
                run.invalidReasons());
        detail.line(String.format("%,d requests, %,d errors %s; p99 %.1f ms before, %.1f ms during, %.1f ms after; fault %s, recovery %s",
                r.requests(), r.errors(), r.errorsByKind(), r.p99BeforeMs(), r.p99DuringMs(), r.p99AfterMs(), millis(r.faultMs()), millis(r.recoveryMs())));
        detail.line(String.format("errors before %s, during %s, after %s; %.0f %% of the steady phase's buckets within the SLO", r.before().errorsByStatus(),
                r.during().errorsByStatus(), r.after().errorsByStatus(), 100 * r.steadySloShare()));
        detail.line(String.format("ledger: %,d orders acknowledged, %d lost, %d duplicated; %,d not acknowledged, %,d of them stored anyway",
                r.acknowledged(), r.lost(), r.duplicated(), r.unanswered(), r.storedAnyway()));
        r.errorCauses().forEach((cause, n) -> detail.line(String.format("  %,6d x %s", n, cause)));
        if (!run.valid()) {
            detail.line("note: the generator marks the run invalid: " + String.join("; ", run.invalidReasons()));
        }
        return r;
    }

    /** Non-2xx statuses by code, then the transport failures the generator counted, each only when it happened. */
    private static Map<String, Long> errorsByKind(RunResult run) {
        Map<String, Long> kinds = new TreeMap<>();
        run.statuses().forEach((status, n) -> {
            if (status < 200 || status > 299) {
                kinds.put(Integer.toString(status), n);
            }
        });
        run.errors().forEach((kind, n) -> {
            if (!kind.equals("status") && n > 0) {
                kinds.put(kind, n);
            }
        });
        return kinds;
    }

    static String millis(long ms) {
        return ms < 0 ? "never" : String.format("%,d ms", ms);
    }
}
