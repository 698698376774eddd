package dev.headroom.lab.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The generator checking itself, so that its own slowness is not reported as the server's. Its
 * verdicts on an open-model run ({@link #invalidReasons}):
 *
 * <ul>
 *   <li><b>CPU:</b> the event loop used {@link LoadRun#MAX_GENERATOR_CPU} of a core or more over the
 *       measured part ({@link #cpuFraction});
 *   <li><b>saturation:</b> in some measured second the loop used {@value #SATURATED} of a core or more
 *       while requests queued for a connection. A saturated loop reads answers late, so its connections
 *       look busy and arrivals queue for them: its own slowness would pass for the server's, even when
 *       the run as a whole stays under the CPU limit. Only the first such second is reported;
 *   <li><b>schedule lag:</b> the p99 of how late the pacer dispatched arrivals exceeds
 *       {@link LoadRun#MAX_SCHEDULE_LAG_P99_MS}.
 * </ul>
 *
 * <p>Samples: the engine calls {@link #measureStarted}, {@link #second} once a second (the warm-up
 * included) and {@link #measureEnded}, each reading the loop thread's CPU clock once
 * ({@link LoopCpuClock}; made-up samples in tests). The wall-clock times come in as arguments, so the
 * arithmetic here needs no real time. Nothing here runs on the send/receive path.
 *
 * <p>Threading: written on the engine's event loop only; read by the caller after the run, once the
 * engine's completion has handed over. No locks.
 */
final class SelfCheck {
    /** A measured second with the loop at this share of a core or more, while requests queue, is saturated. */
    static final double SATURATED = 0.9;
    private static final double SECOND = TimeUnit.SECONDS.toNanos(1);

    private final boolean openModel;
    private final LongSupplier cpuClock;
    private long cpuAtMeasureStart = -1;
    private long cpuAtMeasureEnd = -1;
    private long cpuAtLastSecond = -1;
    private long lastSecondAt;
    private String saturated;

    /**
     * @param openModel whether the run follows a rate plan; a closed-model run is never found saturated
     *                  (its queue is its own concurrency, not a plan falling behind)
     * @param cpuClock  the event loop's CPU time in nanoseconds, never negative
     */
    SelfCheck(boolean openModel, LongSupplier cpuClock) {
        this.openModel = openModel;
        this.cpuClock = cpuClock;
    }

    /** The measured part starts at {@code now}: the CPU baseline for the whole part and for its first second. */
    void measureStarted(long now) {
        cpuAtMeasureStart = cpuClock.getAsLong();
        cpuAtLastSecond = cpuAtMeasureStart;
        lastSecondAt = now;
    }

    /**
     * The once-a-second sample at {@code now}, with {@code waiting} requests queued for a connection:
     * judges the second since the previous sample when it lies in the measured part (after
     * {@code measureFrom}).
     */
    void second(long now, long measureFrom, int waiting) {
        long cpu = cpuClock.getAsLong();
        if (cpuAtLastSecond >= 0 && now > measureFrom && now - lastSecondAt > 0 && saturated == null && openModel) {
            double share = (double) (cpu - cpuAtLastSecond) / (now - lastSecondAt);
            if (share >= SATURATED && waiting > 0) {
                saturated = String.format("at %.0f s the generator's event loop used %.0f%% of a core while %d requests waited"
                        + " for a connection: the wait may be its own, not the server's (use a lower --rate, a longer --warmup"
                        + " for the JIT, or run the generator on a core of its own)",
                        (now - measureFrom) / SECOND, 100 * share, waiting);
            }
        }
        cpuAtLastSecond = cpu;
        lastSecondAt = now;
    }

    /** The measured part is over: takes the closing CPU sample the first time, and ignores later calls. */
    void measureEnded() {
        if (cpuAtMeasureEnd < 0) {
            cpuAtMeasureEnd = cpuClock.getAsLong();
        }
    }

    /** Fraction of one core the event loop used during the measured part, {@code measuredNanos} long; 0 when unknown. */
    double cpuFraction(long measuredNanos) {
        if (cpuAtMeasureStart < 0 || cpuAtMeasureEnd < 0 || measuredNanos <= 0) {
            return 0;
        }
        return (double) (cpuAtMeasureEnd - cpuAtMeasureStart) / measuredNanos;
    }

    /** Why the generator itself may have delayed requests (the first saturated second), or null. */
    String saturation() {
        return saturated;
    }

    /**
     * The generator's reasons to call an open-model run invalid, in report order: CPU, saturation,
     * schedule lag. Empty when it kept up.
     *
     * @param cpuFraction the loop's share of a core over the measured part ({@link #cpuFraction})
     * @param lagP99Ms    the measured part's schedule-lag p99, in milliseconds
     */
    List<String> invalidReasons(double cpuFraction, double lagP99Ms) {
        List<String> reasons = new ArrayList<>(3);
        if (cpuFraction >= LoadRun.MAX_GENERATOR_CPU) {
            reasons.add(String.format("the generator's event loop used %.0f%% of a core: it may have delayed requests itself",
                    100 * cpuFraction));
        }
        if (saturated != null) {
            reasons.add(saturated);
        }
        if (lagP99Ms > LoadRun.MAX_SCHEDULE_LAG_P99_MS) {
            reasons.add(String.format("schedule lag p99 %.1f ms exceeds %.1f ms: the generator fell behind its own plan",
                    lagP99Ms, LoadRun.MAX_SCHEDULE_LAG_P99_MS));
        }
        return reasons;
    }
}
