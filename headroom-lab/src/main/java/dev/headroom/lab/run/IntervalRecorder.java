package dev.headroom.lab.run;

import dev.headroom.lab.schedule.Schedule;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Cuts the measured part into one-second intervals. Once a second the engine calls {@link #second}:
 * it closes the interval that has ended into the run's {@link Measurements} (with the plan's rate for
 * it), reports {@link Progress} and asks the abort rule. During the warm-up it does the same
 * bookkeeping on the warm-up's measurements, so that none of it runs for the first time, slowly, in
 * the measured part.
 *
 * <p>Intervals start at the measured part's start and last one second, but for the last, which ends
 * with the measured part (earlier when the run is aborted). That last one is left open until the run
 * finishes ({@link #closeRest}), so answers still arriving after the measured part's end land in it
 * rather than in no interval at all.
 *
 * <p>Once a second, never per request; the engine's event-loop thread only, no locks.
 */
final class IntervalRecorder {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final Schedule schedule;
    private final Measurements m;
    private final Measurements warmup;
    private final Consumer<Progress> progress;
    private final Predicate<List<Interval>> abort;
    private final long start;
    private final long measureFrom;
    /** Start of the interval that is open. */
    private long tick;

    /**
     * @param schedule    the plan (null in the closed model): its expected rate is each interval's target
     * @param progress    where each second's progress goes (null: nowhere, and none is made)
     * @param abort       the run's abort rule, or null
     * @param start       when the run started (the plan's time 0), in {@link System#nanoTime} terms
     * @param measureFrom when the measured part starts (after the warm-up)
     */
    IntervalRecorder(Schedule schedule, Measurements m, Measurements warmup, Consumer<Progress> progress,
                     Predicate<List<Interval>> abort, long start, long measureFrom) {
        this.schedule = schedule;
        this.m = m;
        this.warmup = warmup;
        this.progress = progress;
        this.abort = abort;
        this.start = start;
        this.measureFrom = measureFrom;
        this.tick = measureFrom;
    }

    /**
     * The once-a-second step at {@code now}, the measured part ending at {@code measureTo}, with
     * {@code inFlight} requests sent and {@code queued} waiting for a connection (for the progress
     * line). Returns true when the abort rule asks to stop.
     */
    boolean second(long now, long measureTo, int inFlight, int queued) {
        boolean last = tick + SECOND >= measureTo;
        if (now >= tick + SECOND && !last) {
            Interval interval = close(1);
            if (progress != null) {
                progress.accept(new Progress(interval.startSeconds() + 1, interval, m.requests(), m.errorCount(),
                        m.corrected.getTotalCount() == 0 ? 0 : m.corrected.getValueAtPercentile(99) / 1000.0, inFlight, queued));
            }
            return abort != null && abort.test(m.intervals());
        } else if (now < measureFrom) {
            // the same bookkeeping on the warm-up's measurements, so that none of it runs for the first time,
            // slowly, in the measured part
            warmup.closeInterval(0, 1, Double.NaN);
            if (progress != null) {
                progress.accept(new Progress((now - measureFrom) / (double) SECOND, null, 0, 0, 0, inFlight, queued));
            }
        }
        return false;
    }

    /** When the step after the one at {@code now} is due: at the next interval's end, and once at the measured part's end. */
    long nextWake(long now, long measureTo) {
        return now < measureFrom ? Math.min(measureFrom, now + SECOND)
                : tick + SECOND < measureTo ? tick + SECOND
                : now < measureTo ? measureTo : now + SECOND; // wake at the end to read the CPU clock, then idle
    }

    /** At the run's end ({@code now}): closes the last, partial interval(s) up to {@code measureTo}, if measuring began. */
    void closeRest(long measureTo, long now) {
        while (tick < measureTo && now >= measureFrom) {
            close(Math.min(1, (measureTo - tick) / (double) SECOND));
        }
    }

    /** Closes the interval starting at {@code tick}, {@code seconds} long (1 but for the last), and moves on. */
    private Interval close(double seconds) {
        double from = (tick - measureFrom) / (double) SECOND;
        double planFrom = (tick - start) / (double) SECOND;
        double target = schedule == null ? Double.NaN : schedule.expectedArrivals(planFrom, planFrom + seconds) / seconds;
        tick += SECOND;
        return m.closeInterval(from, seconds, target);
    }
}
