package dev.headroom.lab.run;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything a run measured, after warm-up. Histograms hold microseconds:
 * {@code corrected} from each request's intended send time (coordinated-omission corrected),
 * {@code uncorrected} from its actual send, and {@code dispatchDelay} between the two.
 *
 * @param model          "open" (a rate plan) or "closed" (N connections, one request each in flight)
 * @param targetRate     the plan's mean rate over the measured part, requests/s; NaN for the closed model
 * @param requests       requests completed (answered, failed or timed out) in the measured part
 * @param errors         failed requests by kind: {@code status} (non-2xx), {@code timeout}, {@code connect}, {@code io}
 * @param statuses       responses by HTTP status
 * @param invalidReasons why the run is not a valid measurement; empty when it is
 */
public record RunResult(
        String target,
        String model,
        double targetRate,
        int connections,
        double durationSeconds,
        double warmupSeconds,
        long requests,
        double achievedRate,
        Map<String, Long> errors,
        Map<Integer, Long> statuses,
        Histogram corrected,
        Histogram uncorrected,
        Histogram dispatchDelay,
        List<Interval> intervals,
        List<String> invalidReasons,
        GeneratorStats generator) {

    public boolean valid() {
        return invalidReasons.isEmpty();
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The generator's view of itself: how busy and how late it was. */
    public record GeneratorStats(double cpuFraction, double scheduleLagP99Ms, double scheduleLagMaxMs,
                                 int connectionsOpened, long inFlightAtEnd) {
    }
}
