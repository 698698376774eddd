package dev.headroom.edge.admission;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leave to run one request. Give it back exactly once, when the work is done: {@link #complete} (its time is a
 * latency sample for the limit), {@link #dropped} (it timed out or was cancelled downstream: a sign of overload), or
 * {@link #ignore} (it failed for a reason unrelated to load, e.g. bad input: no sample). A second give-back does
 * nothing. Thread-safe.
 */
public final class Permit implements Admission {
    private final AdmissionController owner;
    private final Priority priority;
    private final long startNanos;
    private final int inFlightAtStart;
    private final AtomicBoolean released = new AtomicBoolean();

    Permit(AdmissionController owner, Priority priority, long startNanos, int inFlightAtStart) {
        this.owner = owner;
        this.priority = priority;
        this.startNanos = startNanos;
        this.inFlightAtStart = inFlightAtStart;
    }

    public Priority priority() {
        return priority;
    }

    /** The work finished: its time since the permit was granted feeds the limit. */
    public void complete() {
        release(Outcome.SAMPLE);
    }

    /** The work timed out or was dropped downstream: feeds the limit as a drop. */
    public void dropped() {
        release(Outcome.DROP);
    }

    /** The work ended in a way that says nothing about load: the permit is returned without a sample. */
    public void ignore() {
        release(Outcome.NONE);
    }

    private void release(Outcome outcome) {
        if (released.compareAndSet(false, true)) {
            owner.release(this, outcome);
        }
    }

    long startNanos() {
        return startNanos;
    }

    int inFlightAtStart() {
        return inFlightAtStart;
    }

    enum Outcome { SAMPLE, DROP, NONE }
}
