package dev.headroom.lab.run;

import dev.headroom.lab.schedule.Schedule;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generator's own warm-up, before a run: for about {@value #SECONDS} s an engine drives the same kind
 * of run (open or closed model, the run's own request when it is a fixed one) against a server on
 * {@link Connector#LOOPBACK} that the generator starts for it, on the run's event loop. Its measurements
 * and its progress go nowhere: nothing is sent to the target, and nothing of it is in any result.
 *
 * <p>Why: a cold JVM loads the send/receive path's classes and interprets it on the run's first requests.
 * At 500/s against nginx that put the schedule lag at a p99 of 13–70 ms and a max of 80–120 ms, all in the
 * first second, so every cold 5 s run was invalid, at 7–10 % of a core. The rehearsal's open-model plan is
 * {@value #PLAN}: 10,000 requests, past the JIT's threshold for compiling a method fully (5,000 profiled
 * calls), so the run starts on compiled code. It ramps because a cold loop cannot keep a high pace at
 * once, and a rehearsal that stays backlogged teaches the JIT that a connection is never idle: at a
 * steady 20,000/s the run's first dispatch to an idle connection threw the compiled code away
 * ({@code -Xlog:deoptimization}: {@code Engine.dispatch}, {@code speculate_null_assert}). The once-a-second
 * step runs too, with a progress made for nobody, and the server ({@link RehearsalServer}) answers in the
 * shapes real servers use. Then the rehearsal's garbage is collected, and the JIT's queue is let drain
 * (at most {@value #JIT_WAIT_MILLIS} ms), before the run rather than in it. The figures with and without
 * it are in docs/benchmarks.md.
 *
 * <p>A scenario's mix is not rehearsed: its draws would change the seeded sequence of requests the run
 * sends. Such a run rehearses {@code GET /} encoded per request, which warms everything but the mix.
 *
 * <p>Threading: {@link #run} is called by the thread that starts the run and blocks until the rehearsal is
 * over; the server answers on the engine's loop.
 */
final class Rehearsal {
    /** How long the rehearsal lasts, both models. */
    static final long SECONDS = 1;
    /** The open-model rehearsal's rate plan, in {@link Stages#parse} notation, {@value #SECONDS} s long. */
    static final String PLAN = "0->20000/1s";
    /** Enough to exercise the idle-connection queue; more would only cost set-up. */
    static final int CONNECTIONS = 8;
    /** The longest wait for the JIT after the rehearsal. */
    static final long JIT_WAIT_MILLIS = 1000;
    /** The JIT counts as done when it compiled for under a tenth of such a window. */
    private static final long JIT_WINDOW_MILLIS = 50;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Work ROOT = new Workload.Fixed(RequestSpec.get("/"));

    private Rehearsal() {
    }

    /**
     * Rehearses a run of the model ({@code openModel} or closed) and {@code workload} on {@code connector}'s
     * loop, with at most {@code connections} connections.
     */
    static void run(Connector connector, int connections, boolean openModel, Workload workload) throws InterruptedException {
        try (RehearsalServer server = RehearsalServer.start(connector)) {
            LoadRun.Config config = new LoadRun.Config(List.of(server.uri()), Math.min(CONNECTIONS, connections), 0,
                    TimeUnit.SECONDS.toNanos(SECONDS), TIMEOUT_NANOS, progress -> { }, null);
            Schedule schedule = openModel ? Schedules.uniform(Stages.parse(PLAN)) : null;
            Workload rehearsed = workload instanceof Workload.Fixed ? workload : index -> ROOT;
            new Engine(config, schedule, rehearsed, new Measurements(null, 0), connector).run();
        }
        // The rehearsal's garbage (tens of MB: the server's decoded requests, the jobs) is collected now
        // rather than by a young collection in the run, which it would stall: 170 ms on a busy machine, at
        // 2 s into a 5 s run (-Xlog:gc).
        System.gc();
        awaitJit();
    }

    /**
     * Waits, at most {@link #JIT_WAIT_MILLIS}, until the JIT has compiled what the rehearsal made hot. On a
     * busy machine its queue outlasted the rehearsal by 50–250 ms ({@code -XX:+PrintCompilation}), compiling
     * on the cores the run's first second needs.
     */
    private static void awaitJit() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JIT_WAIT_MILLIS);
        long compiled = jit.getTotalCompilationTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(JIT_WINDOW_MILLIS);
            long now = jit.getTotalCompilationTime();
            if (now - compiled < JIT_WINDOW_MILLIS / 10) {
                return;
            }
            compiled = now;
        }
    }
}
