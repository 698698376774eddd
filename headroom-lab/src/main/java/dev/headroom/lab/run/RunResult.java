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
 * @param arrivals       of those, arrivals' first steps (a journey's later steps are not arrivals)
 * @param achievedRate   arrivals completed per second, comparable with {@code targetRate}
 * @param errors         failed requests by kind: {@code status} (non-2xx), {@code timeout}, {@code connect}, {@code io},
 *                       {@code capture} (a journey step answered without the value a later step needs), and
 *                       {@code capture (content-encoding CODING)} when that answer's body came in a coding the
 *                       lab cannot decode (gzip it can; {@code br} it cannot)
 * @param statuses       responses by HTTP status
 * @param responseBytes  bytes of those responses as read from the socket: status lines, headers and bodies (as sent,
 *                       so compressed or chunked where the server sent them so), interim answers included
 * @param invalidReasons why the run is not a valid measurement; empty when it is
 * @param byName         the same per request name (scenario entry or journey step), in order of first use
 */
public record RunResult(
        String target,
        String model,
        double targetRate,
        int connections,
        double durationSeconds,
        double warmupSeconds,
        long requests,
        long arrivals,
        double achievedRate,
        Map<String, Long> errors,
        Map<Integer, Long> statuses,
        long responseBytes,
        Histogram corrected,
        Histogram uncorrected,
        Histogram dispatchDelay,
        List<Interval> intervals,
        List<String> invalidReasons,
        GeneratorStats generator,
        List<RequestStats> byName) {

    public boolean valid() {
        return invalidReasons.isEmpty();
    }

    /** Requests (journey steps included) per second. */
    public double requestRate() {
        return durationSeconds > 0 ? requests / durationSeconds : 0;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Responses received (requests answered with a status, whatever it was): the sum of {@link #statuses}. */
    public long responses() {
        return statuses.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Mean wire bytes per response received; 0 when none was. */
    public double bytesPerResponse() {
        return perResponse(responseBytes, responses());
    }

    private static double perResponse(long bytes, long responses) {
        return responses == 0 ? 0 : (double) bytes / responses;
    }

    /**
     * One request name's share of the run; {@code corrected} in microseconds; {@code responses} of the
     * {@code requests} were answered with a status, in {@code responseBytes} on the wire.
     */
    public record RequestStats(String name, long requests, long errors, Histogram corrected, long responses, long responseBytes) {
        /** Mean wire bytes per response received; 0 when none was. */
        public double bytesPerResponse() {
            return perResponse(responseBytes, responses);
        }
    }

    /** The generator's view of itself: how busy and how late it was. */
    public record GeneratorStats(double cpuFraction, double scheduleLagP99Ms, double scheduleLagMaxMs,
                                 int connectionsOpened, long inFlightAtEnd) {
    }
}
