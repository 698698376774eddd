package dev.headroom.experiments.edge;

import dev.headroom.experiments.Pause;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The lab's two kinds of run, {@code GET /} on every request: a closed-model maximum (N connections, each sending
 * its next request as soon as the last is answered) and an open-model run at a rate (Poisson arrivals, latency from
 * each request's intended send time). The generator rehearses once per model and JVM: its compiled code stays
 * for the later runs.
 */
final class Generator {
    static final Workload GET = Workload.of(RequestSpec.get("/"));

    private boolean closedRehearsed;
    private boolean openRehearsed;
    private long seed;

    Generator(long seed) {
        this.seed = seed;
    }

    RunResult closed(String url, int connections, Duration warmup, Duration duration) throws IOException, InterruptedException {
        RunResult r = LoadRun.closed(URI.create(url), connections, duration, GET).warmup(warmup).rehearse(!closedRehearsed).run();
        closedRehearsed = true;
        return r;
    }

    /** {@code warmup} at the rate (ramped up over its first half), then {@code duration} measured. */
    RunResult open(String url, double rate, int connections, Duration warmup, Duration duration) throws IOException, InterruptedException {
        return open(url, rate, connections, warmup, duration, null);
    }

    /**
     * The same, calling {@code atMeasureStart} (on a thread of its own) when the measured part begins: the run's
     * progress during the warm-up says how far off that is, and the call is timed from it; late by up to a second
     * when the warm-up is too short to report progress.
     */
    RunResult open(String url, double rate, int connections, Duration warmup, Duration duration, Runnable atMeasureStart)
            throws IOException, InterruptedException {
        Stages stages = Stages.constant(rate, duration.toNanos() / 1e9).withWarmup(warmup.toNanos() / 1e9);
        LoadRun.Builder run = LoadRun.open(URI.create(url), Schedules.poisson(stages, seed++), GET).connections(connections).warmup(warmup)
                .rehearse(!openRehearsed);
        if (atMeasureStart != null) {
            AtomicBoolean scheduled = new AtomicBoolean();
            run.progress(p -> {
                if (!scheduled.getAndSet(true)) {
                    long due = System.nanoTime() + (long) (Math.max(0, -p.elapsedSeconds()) * 1e9);
                    Thread.ofVirtual().start(() -> {
                        Pause.until(due);
                        atMeasureStart.run();
                    });
                }
            });
        }
        RunResult r = run.run();
        openRehearsed = true;
        return r;
    }
}
