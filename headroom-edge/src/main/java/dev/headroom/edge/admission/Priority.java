package dev.headroom.edge.admission;

/**
 * A request's class for shedding, highest first. Under overload the lower classes are refused first: each class may
 * fill only its {@linkplain AdmissionController.Builder#share share} of the adaptive limit, and the queue hands a
 * freed permit to the highest class waiting.
 */
public enum Priority {
    /** Must keep its SLO (checkout): may use the whole limit; queued ahead of the rest, never evicted by them. */
    CRITICAL,
    /** Ordinary reads. */
    NORMAL,
    /** Shed first (search, browse): the first to be refused and evicted from the queue. */
    SHEDDABLE
}
