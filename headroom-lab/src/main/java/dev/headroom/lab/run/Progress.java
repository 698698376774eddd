package dev.headroom.lab.run;

/**
 * A once-a-second look at a running load test, for the live progress line.
 *
 * @param elapsedSeconds time since the measured part began (negative while warming up)
 * @param last           the interval just closed (null while warming up)
 * @param requests       measured requests so far
 * @param errors         measured failed requests so far
 * @param p99Ms          corrected p99 so far, in milliseconds
 * @param inFlight       requests sent and not yet answered
 * @param queued         requests due but waiting for a free connection
 */
public record Progress(double elapsedSeconds, Interval last, long requests, long errors, double p99Ms, int inFlight, int queued) {
}
