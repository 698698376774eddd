package dev.headroom.lab.run;

/**
 * One arrival's current step: the journey ({@link Work}), the request it is on, and the time that
 * request was due. Plain mutable fields, touched only on the engine's event-loop thread; one is
 * allocated per arrival and reused for the arrival's later steps.
 */
final class Job {
    final Work work;
    RequestSpec spec;
    long intended;
    boolean firstStep = true;
    /** The run's measurements, or the warm-up's: chosen once per arrival by its intended time. */
    final Measurements sink;

    Job(Work work, RequestSpec spec, long intended, Measurements sink) {
        this.work = work;
        this.spec = spec;
        this.intended = intended;
        this.sink = sink;
    }
}
