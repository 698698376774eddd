package dev.headroom.lab.run;

import org.HdrHistogram.Histogram;

/**
 * One reporting interval (normally a second) of a run: responses completed in it, errors, the
 * corrected latency histogram (microseconds) of those responses, and the rate the plan asked for.
 */
public record Interval(double startSeconds, double seconds, long requests, long errors, double targetRate, Histogram corrected) {
    public double rate() {
        return seconds > 0 ? requests / seconds : 0;
    }
}
