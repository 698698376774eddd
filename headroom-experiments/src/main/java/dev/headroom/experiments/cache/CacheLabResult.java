package dev.headroom.experiments.cache;

import java.util.List;
import java.util.Map;

/**
 * What {@code headroom lab cache} measured. Ratios are 0..1, latencies milliseconds (corrected for
 * coordinated omission), rates per second. Fields are written to JSON in snake case.
 */
public record CacheLabResult(Settings settings, List<Configuration> configurations, Stampede stampede, Outage outage,
                             List<Check> checks, double elapsedSeconds) {

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    /**
     * @param maxRate     the uncached cluster's maximum rate (closed model), requests/s
     * @param offeredRate what every configuration was driven at: {@code loadShare} of {@code maxRate}
     * @param dbRttMs     the round trip the proxy in front of PostgreSQL adds ({@code --db-rtt}); null on loopback
     * @param dbRttMeasuredMs what it added as measured: the median {@code SELECT 1} through it minus the median direct; null on loopback
     */
    public record Settings(long products, double zipfExponent, double writeShare, long l1Entries, double loadShare,
                           double maxRate, double offeredRate, double warmupSeconds, double durationSeconds, int rounds, long seed,
                           int nodes, Double dbRttMs, Double dbRttMeasuredMs, String machine) {
    }

    /**
     * One cache configuration at the offered rate, over the measured part (after warm-up); with several
     * rounds, the round with the median p99.
     *
     * @param hitRatioL1       reads answered by the nodes' L1s; null without L1
     * @param hitRatioL2       of the reads L1 could not answer (all reads without L1), the share L2 answered; null without L2
     * @param hitRatio         reads answered by either tier
     * @param optimalHitRatio  the best any cache of the L1's size could do on each node's recorded trace (Belady's MIN); l1 and lru only
     * @param replayHitRatio   the L1's policy alone (Caffeine for l1, LRU for lru) replaying the same traces: what the policy gives,
     *                         apart from the system around it; l1 and lru only
     * @param meanMs           of every request, as the percentiles (from its intended send time)
     * @param serverP50Ms      the shop's own time to serve a request, first handler to the end of the response (both
     *                         nodes' {@code http.server.requests} histograms, so as coarse as their buckets); without loopback HTTP
     *                         and queueing in the client
     * @param serverMeanMs     the same, its mean (exact)
     * @param readP99Ms        p99 of the product reads alone
     * @param writeP99Ms       p99 of the price changes alone (each one a database write and an invalidation)
     * @param dbQueriesPerS    SQL statements the nodes ran per second (the shop's {@code shop.sql.statements.per.request} counters)
     * @param dbQueriesPerRequest the same statements per request the nodes served
     * @param leaseWaits       L2 misses that waited for the other node's load of the same key
     * @param l2Errors         Redis commands that failed or timed out (each read went on without L2)
     * @param l1Flushes        whole-L1 flushes (an invalidation message found lost, or the subscription dropped)
     * @param heapBytes        heap in use after a full GC at the end (the lab's JVM: both nodes and the generator)
     * @param p99MsRounds      every round's p99, in the order run (empty until rounds are combined)
     */
    public record Configuration(String name, Double hitRatioL1, Double hitRatioL2, double hitRatio, Double optimalHitRatio, Double replayHitRatio,
                                double p50Ms, double meanMs, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                                double serverP50Ms, double serverMeanMs, double readP99Ms, double writeP99Ms,
                                double achievedRate, long requests, long errors, double dbQueriesPerS, double dbQueriesPerRequest,
                                long leaseWaits, long l2Errors, long l1Flushes, long heapBytes, List<String> invalidReasons, List<Double> p99MsRounds) {

        /** This round standing for all of them: their p99s, and why any of them was invalid. */
        Configuration standingFor(List<Configuration> rounds) {
            return new Configuration(name, hitRatioL1, hitRatioL2, hitRatio, optimalHitRatio, replayHitRatio, p50Ms, meanMs, p90Ms, p99Ms, p999Ms,
                    maxMs, serverP50Ms, serverMeanMs, readP99Ms, writeP99Ms, achievedRate, requests, errors, dbQueriesPerS, dbQueriesPerRequest,
                    leaseWaits, l2Errors, l1Flushes, heapBytes,
                    rounds.stream().flatMap(r -> r.invalidReasons().stream()).distinct().toList(),
                    rounds.stream().map(Configuration::p99Ms).toList());
        }
    }

    /**
     * @param requests  sent at once for one cold key, half to each node, while the database was held slow
     * @param dbLoads   loader calls across the cluster for that key (l1+l2)
     * @param dbLoadsWithoutCoalescing the same with {@code l1+l2-no-coalescing}
     */
    public record Stampede(int requests, int ok, long dbLoads, long dbLoadsWithoutCoalescing, double slowDatabaseMs) {
    }

    /**
     * @param redisDownSeconds  how long Redis was dead, from the kill to the restart
     * @param l2HitsAfterRestart L2 hits in the last part of the run, after Redis came back: recovery
     */
    public record Outage(long requests, long errors, double p99Ms, double p99DuringOutageMs, double maxMs,
                         double redisDownSeconds, long l2HitsAfterRestart, String breakerAtEnd) {
    }

    /**
     * One acceptance check with what it compared.
     *
     * @param figures what the check worked out from the configurations, by name in snake case (a difference, a
     *                reduction, a gap it reports but does not bound); its inputs are in the configurations
     */
    public record Check(String name, boolean passed, String detail, Map<String, Double> figures) {
    }
}
