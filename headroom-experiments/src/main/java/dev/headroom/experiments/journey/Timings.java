package dev.headroom.experiments.journey;

import java.time.Duration;

/**
 * How long each part of a step runs. {@link #FULL} keeps the seven steps within ten minutes on two cores;
 * {@link #QUICK} is a first look in under three.
 *
 * @param warmup      before the latency run's measured part, at its rate (the throughput probes before it warmed the
 *                    JIT, the pools and the caches; this lets their queues drain)
 * @param latency     the latency run's measured part, at the journey's offered rate
 * @param estimate    the closed-model run that says where the throughput probes start
 * @param probeWarmup before each probe's measured part (and before the estimate)
 * @param probe       each throughput or capacity probe's measured part
 */
public record Timings(Duration warmup, Duration latency, Duration estimate, Duration probeWarmup, Duration probe) {
    /**
     * The latency run is the long part: every step is offered half the baseline's throughput, a few requests a
     * second with the default data, and its slow kinds need samples behind their p50.
     */
    public static final Timings FULL = new Timings(Duration.ofSeconds(3), Duration.ofSeconds(40), Duration.ofSeconds(3),
            Duration.ofSeconds(1), Duration.ofSeconds(3));
    public static final Timings QUICK = new Timings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(1500),
            Duration.ofMillis(500), Duration.ofMillis(1500));
}
