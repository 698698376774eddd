package dev.headroom.edge.deadline;

/** Work not started, or stopped, because its request's {@link Deadline} had passed. No stack trace: it is a decision, not a bug. */
public final class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String work) {
        super("the request's deadline passed before " + work, null, false, false);
    }
}
