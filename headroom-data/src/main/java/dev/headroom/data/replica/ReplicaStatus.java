package dev.headroom.data.replica;

/**
 * One replica, as the router saw it at {@link ReplicaRouter#replicas()}.
 *
 * @param name         as given to the builder
 * @param state        {@code serving}, {@code ejected} (past the lag bound) or {@code down} (no answer)
 * @param replayed     the log position it has replayed, as last polled or checked
 * @param stalenessMs  how far behind the primary it is, to the poll interval; -1 when unknown
 * @param inFlight     reads running on it now
 * @param reads        reads it has served
 * @param failures     reads whose connection to it broke (each then ran elsewhere)
 * @param downCause    why it is down, or null
 */
public record ReplicaStatus(String name, String state, ConsistencyToken replayed, double stalenessMs, int inFlight,
                            long reads, long failures, String downCause) {
}
