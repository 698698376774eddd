package dev.headroom.lab.run;

import dev.headroom.lab.schedule.Schedule;

/** A constant-rate schedule for engine tests, independent of the stage parser. */
public record FixedRate(double rate, double seconds) implements Schedule {
    @Override
    public long offsetNanos(long n) {
        double t = n / rate;
        return t >= seconds ? END : (long) (t * 1e9);
    }

    @Override
    public double rateAt(double s) {
        return s < seconds ? rate : 0;
    }

    @Override
    public double durationSeconds() {
        return seconds;
    }

    @Override
    public double expectedArrivals(double from, double to) {
        return rate * (Math.min(to, seconds) - Math.max(0, Math.min(from, seconds)));
    }
}
