package dev.headroom.experiments.pool;

import java.util.List;

/**
 * What {@code headroom lab pool} measured, written as JSON in snake case: one point per pool size, and the three
 * answers to "how big?" side by side: the measured optimum, the formula and Little's law.
 *
 * @param settings       what ran, and where
 * @param points         one per pool size, ascending
 * @param optimum        the smallest pool within {@link PoolLabOptions#NEAR_BEST} of the best throughput whose p99 at
 *                       the common rate met the SLO (or the smallest of them, when none did)
 * @param formula        {@code cores × 2 + spindles}, as the shop sizes its pool by default
 * @param littlesLaw     connections needed = throughput × mean time a request holds its connection
 * @param elapsedSeconds the whole lab, servers included
 */
public record PoolLabResult(Settings settings, List<Point> points, Optimum optimum, Formula formula, LittlesLaw littlesLaw,
                            double elapsedSeconds) {
    /**
     * @param switches       the shop's optimizations: no cache, so that every request needs a connection
     * @param dbRttMs        what the proxy adds per round trip to PostgreSQL; 0 on loopback
     * @param dbRttMeasuredMs what it added, as measured with {@code SELECT 1} (null on loopback)
     * @param openRateRps    the open-model runs' rate, common to every size: {@code load_share} of the best throughput
     */
    public record Settings(List<Integer> sizes, int concurrency, double dbRttMs, Double dbRttMeasuredMs, int rounds, double warmupSeconds,
                           double durationSeconds, double loadShare, double openRateRps, double sloP99Ms, long products, long seed,
                           String switches, String machine) { }

    /**
     * One pool size: medians over the closed-model rounds (each figure's own median), then the open-model run at the
     * common rate. Pool figures are HikariCP's, from the node's registry ({@code /metrics}) over the measured part.
     *
     * @param throughputRps    closed model, requests/s answered
     * @param throughputByRound each round's, in the order they ran
     * @param p50Ms            closed model, from each request's send (every connection busy: the queue's latency)
     * @param poolWaitMeanMs   {@code hikaricp_connections_acquire_seconds} sum / count: a request's wait for a connection
     * @param poolWaitP99Ms    the same timer's p99, from its histogram (buckets 9–33 % apart)
     * @param pendingMax       the most requests waiting for a connection at once ({@code hikaricp_connections_pending},
     *                         sampled every {@value PoolMeters#SAMPLE_MS} ms)
     * @param holdMeanMs       {@code hikaricp_connections_usage_seconds} sum / count: how long a request holds its connection
     * @param busyConnections  Little's law on the pool: borrows/s × hold time, the connections in use on average
     * @param openP50Ms        the open-model run at the common rate: p50 from each request's intended send time; the
     *                         open figures are null for a size whose closed-model throughput was below
     *                         {@link Sweep#CARRIES} of that rate: its queue would only grow, and its p99 be the run's length
     * @param openP99Ms        its p99: the figure the SLO is about
     * @param openAchievedRps  what that run achieved
     * @param openPoolWaitP99Ms the pool wait's p99 in that run
     * @param openScheduleLagP99Ms how late the generator sent its requests, p99: inside the open p99 already (latency
     *                         counts from the intended send time); on 2 shared cores it is much of it
     * @param errors           failed requests over every run of this size
     */
    public record Point(int poolSize, double throughputRps, List<Double> throughputByRound, double p50Ms, double p90Ms, double p99Ms,
                        double p999Ms, double maxMs, double poolWaitMeanMs, double poolWaitP99Ms, double pendingMax, double holdMeanMs,
                        double busyConnections, Double openP50Ms, Double openP99Ms, Double openP999Ms, Double openMaxMs, Double openAchievedRps,
                        Double openPoolWaitP99Ms, Double openScheduleLagP99Ms, long errors) {
        /** Whether the open-model run met {@code sloP99Ms}; false when it did not run. */
        boolean meets(double sloP99Ms) {
            return openP99Ms != null && openP99Ms <= sloP99Ms;
        }
    }

    /**
     * @param bestRps    the highest median throughput of any size
     * @param bestSize   the size that reached it
     * @param metSlo     whether the optimum's p99 at the common rate met the SLO
     * @param rule       the rule, in words, with the numbers
     */
    public record Optimum(int poolSize, double throughputRps, Double openP99Ms, double bestRps, int bestSize, boolean metSlo, String rule) { }

    /**
     * {@code cores × 2 + spindles}: the PostgreSQL wiki's starting point, which the shop uses when no size is given.
     *
     * @param throughputRps what that size measured (the lab adds it to the sweep); null when not measured
     * @param shareOfBest   that against the best median throughput
     */
    public record Formula(int cores, int spindles, int poolSize, String expression, Double throughputRps, Double shareOfBest) {
        /** The same, with what its size measured among {@code points}, if it was. */
        Formula measured(List<Point> points) {
            double best = points.stream().mapToDouble(Point::throughputRps).max().orElseThrow();
            return points.stream().filter(p -> p.poolSize() == poolSize).findFirst()
                    .map(p -> new Formula(cores, spindles, poolSize, expression, p.throughputRps(), p.throughputRps() / best)).orElse(this);
        }
    }

    /**
     * @param throughputRps the rate to carry: the best median throughput
     * @param holdMs        the mean hold time where the pool was least contended (the smallest size measured): the
     *                      connection's own cost, a round trip to PostgreSQL and the query
     * @param connections   {@code throughput × hold}, unrounded
     * @param poolSize      rounded up
     * @param measuredRps   what a pool of that size measured, when it was among the sizes; else null
     * @param shareOfBest   that against the best median throughput
     */
    public record LittlesLaw(double throughputRps, double holdMs, int holdAtPoolSize, double connections, int poolSize, String expression,
                             Double measuredRps, Double shareOfBest) { }
}
