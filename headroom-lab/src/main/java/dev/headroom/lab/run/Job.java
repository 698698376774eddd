package dev.headroom.lab.run;

/**
 * One arrival's current step: the journey ({@link Work}), the request it is on, the time that request
 * was due, and its target. Plain mutable fields, touched only on the engine's event-loop thread; one is
 * allocated per arrival and reused for the arrival's later steps.
 */
final class Job {
    final Work work;
    RequestSpec spec;
    long intended;
    boolean firstStep = true;
    /** The run's measurements, or the warm-up's: chosen once per arrival by its intended time. */
    final Measurements sink;
    /** Where every step of the arrival goes: a journey stays on the target where it started. */
    final Target target;

    Job(Work work, RequestSpec spec, long intended, Measurements sink, Target target) {
        this.work = work;
        this.spec = spec;
        this.intended = intended;
        this.sink = sink;
        this.target = target;
    }
}
