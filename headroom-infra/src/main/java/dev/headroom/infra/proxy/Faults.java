package dev.headroom.infra.proxy;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The faults a {@link TcpProxy} applies to data, as one immutable value so that a pipe reads a consistent set
 * (latency never without its jitter) with a single volatile read per chunk.
 *
 * @param latencyNanos   added round trip; each direction gets half
 * @param jitterNanos    the round trip varies uniformly within latency ± jitter; at most latencyNanos
 * @param bytesPerSecond cap per direction per connection; 0 = no cap
 * @param stalled        nothing is forwarded while true
 */
record Faults(long latencyNanos, long jitterNanos, long bytesPerSecond, boolean stalled) {

    static final Faults NONE = new Faults(0, 0, 0, false);

    /** Above this a delay is a stall in disguise; {@link TcpProxy#stall(boolean)} says so honestly. */
    static final Duration MAX_LATENCY = Duration.ofMinutes(1);

    /** True when chunks may go straight from reader to writer: nothing to wait for, nothing to meter. */
    boolean clean() {
        return latencyNanos == 0 && bytesPerSecond == 0 && !stalled;
    }

    /** Half the round trip, moved uniformly within ± half the jitter; never negative as jitter ≤ latency. */
    long sampleOneWayNanos() {
        long half = latencyNanos / 2;
        if (jitterNanos == 0) {
            return half;
        }
        long halfJitter = jitterNanos / 2;
        return half + ThreadLocalRandom.current().nextLong(-halfJitter, halfJitter + 1);
    }

    Faults withLatency(Duration latency, Duration jitter) {
        checkLatency(latency, jitter);
        return new Faults(latency.toNanos(), jitter.toNanos(), bytesPerSecond, stalled);
    }

    Faults withBandwidth(long bytesPerSecond) {
        checkBandwidth(bytesPerSecond);
        return new Faults(latencyNanos, jitterNanos, bytesPerSecond, stalled);
    }

    Faults withStalled(boolean stalled) {
        return new Faults(latencyNanos, jitterNanos, bytesPerSecond, stalled);
    }

    static void checkLatency(Duration latency, Duration jitter) {
        Objects.requireNonNull(latency, "latency must not be null");
        Objects.requireNonNull(jitter, "jitter must not be null");
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative, was " + format(latency));
        }
        if (latency.compareTo(MAX_LATENCY) > 0) {
            throw new IllegalArgumentException("latency must be at most " + format(MAX_LATENCY)
                    + " (use stall to hold data indefinitely), was " + format(latency));
        }
        if (jitter.isNegative()) {
            throw new IllegalArgumentException("jitter must not be negative, was " + format(jitter));
        }
        if (jitter.compareTo(latency) > 0) {
            throw new IllegalArgumentException("jitter must not exceed latency (" + format(latency)
                    + "), was " + format(jitter));
        }
    }

    static void checkBandwidth(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("bandwidth must not be negative (0 means no cap), was "
                    + bytesPerSecond + " bytes/s");
        }
    }

    /** In the largest unit that shows the value exactly: 2 s, 1500 ms, 500 µs, 10 ns. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0 ms";
        }
        if (d.getNano() == 0) {
            return d.getSeconds() + " s";
        }
        if (Math.abs(d.getSeconds()) > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return d.toString(); // beyond ±292 years nanoseconds overflow; only a typo gets here
        }
        long nanos = d.toNanos();
        if (nanos % 1_000 != 0) {
            return nanos + " ns";
        }
        if (nanos % 1_000_000 != 0) {
            return nanos / 1_000 + " µs";
        }
        return nanos / 1_000_000 + " ms";
    }

    @Override
    public String toString() {
        return "latency " + format(Duration.ofNanos(latencyNanos)) + " ± " + format(Duration.ofNanos(jitterNanos))
                + ", bandwidth " + (bytesPerSecond == 0 ? "uncapped" : bytesPerSecond + " bytes/s")
                + (stalled ? ", stalled" : "");
    }
}
