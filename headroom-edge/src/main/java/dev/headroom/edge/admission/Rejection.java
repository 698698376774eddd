package dev.headroom.edge.admission;

/**
 * A request refused, to be answered at once without doing its work (503 with {@code Retry-After} over HTTP).
 *
 * @param priority the request's class
 * @param reason   why
 */
public record Rejection(Priority priority, Reason reason) implements Admission {
    public enum Reason {
        /** Over its class's share of the limit and the queue had no room for it. */
        QUEUE_FULL,
        /** Was queued, then pushed out by a request of a higher class. */
        EVICTED,
        /** Waited in the queue past the CoDel timeout. */
        EXPIRED
    }
}
