package dev.headroom.experiments.data;

import java.util.List;
import java.util.Map;

/**
 * What {@code headroom lab data} measured, written as JSON in snake case (the contract's field names); an experiment
 * not run is null.
 *
 * @param readScaling    capacity at the SLO with 0, 1, 2 replicas, the database one hop away
 * @param lag            per replica name ({@code replica-1}, …): replication lag under a fixed write load
 * @param readYourWrites write on one node, read at once on the other: violations with and without the token
 * @param replicaKill    a replica killed (SIGKILL) under read load
 * @param replicaFreeze  a replica frozen (SIGSTOP) under read and write load, then thawed
 */
public record DataLabResult(List<ScalingPoint> readScaling, Map<String, Lag> lag, ReadYourWrites readYourWrites, ReplicaKill replicaKill,
                            ReplicaFreeze replicaFreeze) {

    /**
     * The highest offered rate one shop node served within the SLO with {@code replicas} replicas;
     * {@code ratioToNone} is its capacity over the capacity with none, in the same run.
     */
    public record ScalingPoint(int replicas, double capacityRps, double p99Ms, double ratioToNone) { }

    /**
     * One replica's lag over the samples taken while the writes ran: time (how long the oldest WAL the replica had not
     * replayed had existed on the primary) and bytes (the primary's WAL position minus the replica's replay position).
     * {@code pgReplayLagP50Ms}/{@code P99Ms}: PostgreSQL's own {@code replay_lag} from {@code pg_stat_replication},
     * sampled beside it as a cross-check; null when it reported none.
     */
    public record Lag(double p50Ms, double p99Ms, double maxMs, long p50Bytes, long p99Bytes, long maxBytes, long samples,
                      Double pgReplayLagP50Ms, Double pgReplayLagP99Ms) { }

    /** Reads that came after the client's own write, and those that did not show it. */
    public record Reads(long reads, long violations) { }

    /**
     * {@code withTokens}: each read sent the write's token back; {@code withoutTokens}: the interleaved twin reads that
     * did not; {@code errors}: writes or reads that failed (not counted as reads).
     */
    public record ReadYourWrites(Reads withTokens, Reads withoutTokens, int clients, double seconds, long errors) { }

    /**
     * @param failoverMs from the kill until the shop's router reported the replica down ({@code headroom_replica_down}), -1 if never
     * @param maxLatencyMs the longest request of the run (from its intended start), which brackets what a read waited around the kill
     */
    public record ReplicaKill(long requests, long errors, long failoverMs, double maxLatencyMs, double p99Ms, double offeredRps) { }

    /**
     * @param ejectedMs from the freeze until the router stopped serving from the replica (down or ejected), -1 if never
     * @param state     the state it was taken out in: {@code down} (its poll went unanswered) or {@code ejected} (lag)
     * @param backMs    from the thaw until it served again, -1 if not within the run
     */
    public record ReplicaFreeze(long requests, long errors, long ejectedMs, String state, long backMs, double maxLatencyMs, double p99Ms,
                                double offeredRps) { }
}
