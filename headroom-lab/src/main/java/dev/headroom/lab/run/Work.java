package dev.headroom.lab.run;

/**
 * What one arrival does: a single request, or a multi-step journey whose later steps may use values
 * captured from earlier answers. The engine sends {@link #first()}, then {@link #next(Response)} after
 * each answer until it returns null. Each step is recorded as its own request; the first step's latency
 * counts from the arrival's intended time, later steps' from when the previous answer arrived.
 * Not thread-safe: the engine calls one work from one thread.
 */
public interface Work {
    /**
     * What {@link #next} returns when the answer lacks a value the journey needs (a capture found
     * nothing): the step is recorded as an error of kind {@code capture} and the journey ends.
     */
    RequestSpec MISSING_CAPTURE = new RequestSpec("missing capture", "GET", "/", java.util.List.of(), null);

    RequestSpec first();

    /** The next step, or null when the journey is done (also called after an error, with status 0). */
    default RequestSpec next(Response previous) {
        return null;
    }

    /** Whether {@link #next} needs response bodies; false lets the engine skip keeping them. */
    default boolean needsBody() {
        return false;
    }
}
