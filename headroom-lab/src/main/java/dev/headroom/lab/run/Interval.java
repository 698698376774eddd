package dev.headroom.lab.run;

import org.HdrHistogram.Histogram;

/**
 * One reporting interval (normally a second) of a run: responses completed in it, the arrivals among
 * them (first steps: a journey's later steps are requests but not arrivals), errors, the corrected
 * latency histogram (microseconds) of those responses, and the arrival rate the plan asked for.
 */
public record Interval(double startSeconds, double seconds, long requests, long arrivals, long errors, double targetRate,
                       Histogram corrected) {
    /** Arrivals completed per second, comparable with {@link #targetRate}. */
    public double rate() {
        return seconds > 0 ? arrivals / seconds : 0;
    }
}
