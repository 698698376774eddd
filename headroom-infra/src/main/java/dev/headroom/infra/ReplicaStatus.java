package dev.headroom.infra;

import java.time.Duration;

/**
 * One replica as its primary sees it: a row of {@code pg_stat_replication}. LSNs are PostgreSQL's text form
 * ({@code 0/3000148}; compare them with {@link Replication#lsn(String)}), {@code null} while the replica has not
 * reported them yet.
 *
 * @param name           the replica's {@code application_name}, e.g. {@code replica-1}
 * @param state          {@code startup}, {@code catchup} (far behind, reading old WAL) or {@code streaming}
 * @param sentLsn        WAL sent to the replica
 * @param writeLsn       WAL the replica wrote to disk
 * @param flushLsn       WAL the replica flushed to disk
 * @param replayLsn      WAL the replica replayed: what its queries see
 * @param replayLagBytes {@code pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)}: WAL written on the primary that
 *                       the replica's queries do not see yet; -1 when replayLsn is unknown
 * @param replayLag      how long ago the primary wrote the WAL the replica replayed last (PostgreSQL's
 *                       {@code replay_lag}), {@code null} when unknown; PostgreSQL sets it to null when a caught-up
 *                       replica has had nothing to replay for a while, so 0 bytes is the sure sign of "caught up"
 */
public record ReplicaStatus(String name, String state, String sentLsn, String writeLsn, String flushLsn, String replayLsn,
                            long replayLagBytes, Duration replayLag) {
}
