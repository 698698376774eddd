package dev.headroom.experiments.journey;

import java.util.List;
import java.util.Map;

/**
 * One step of the journey as measured. Latency figures come from the run at the journey's one offered rate,
 * corrected for coordinated omission; a percentile is null when too few samples stand behind it
 * ({@link Percentiles}). Per-request server figures are over that run's measured part.
 *
 * @param name                   the step's name
 * @param adds                   what the step turns on
 * @param switches               the shop's optimizations, as {@code --optimize} takes them
 * @param command                the command that measures this step alone
 * @param valid                  whether every figure comes from a valid run (see {@code invalidReasons})
 * @param samples                requests measured at the offered rate
 * @param p50Ms                  corrected latency percentiles at the offered rate, ms
 * @param throughputRps          the highest offered rate whose run was valid and achieved ≥ 95 % of it with ≤ 1 % errors
 * @param capacityRps            the highest such rate that also met the SLO; 0 when none did
 * @param statementsPerRequest   SQL statements PostgreSQL ran per request (pg_stat_statements)
 * @param dbMsPerRequest         their execution time per request
 * @param connectionMsPerRequest time a request waited for its connection (pool borrow, or a new connection)
 * @param shopCpuPercent         the shop nodes' CPU at the highest sustained probe, percent of one core
 * @param postgresCpuPercent     PostgreSQL's CPU (all its processes) there, percent of one core
 * @param cacheHitRatio          reads answered by a cache, null without one
 * @param cacheHitRatios         the same per cache (products, users, orders)
 * @param bytesPerResponse       response bytes on the wire (status line, headers, body) per response
 * @param bottleneck             what limits this step, named from the servers' figures at the highest sustained probe
 * @param bottleneckKind         its one-word kind: {@code sql}, {@code connections}, {@code shop-cpu} or {@code http}
 * @param topStatements          the statements that took the most database time
 * @param byKind                 the same latency per request kind
 * @param probes                 every run of the throughput and capacity search
 * @param cpuTopFrames           with {@code --profile-cpu}: the hottest methods of the nodes' flight recordings
 * @param spectrum               percentile (0..100) to ms at the offered rate, for the report's spectrum
 */
public record StepResult(
        String name,
        String adds,
        String switches,
        String command,
        boolean valid,
        List<String> invalidReasons,
        long samples,
        Double p50Ms,
        Double p90Ms,
        Double p99Ms,
        Double p999Ms,
        double maxMs,
        double achievedRps,
        long errors,
        double throughputRps,
        double capacityRps,
        Double statementsPerRequest,
        Double dbMsPerRequest,
        double connectionMsPerRequest,
        double shopCpuPercent,
        double postgresCpuPercent,
        Double cacheHitRatio,
        Map<String, Double> cacheHitRatios,
        Double bytesPerResponse,
        String bottleneck,
        String bottleneckKind,
        List<Statement> topStatements,
        Map<String, Kind> byKind,
        List<RateSearch.Outcome> probes,
        List<CpuProfile.Frame> cpuTopFrames,
        Map<String, Double> spectrum) {

    StepResult withCpuTopFrames(List<CpuProfile.Frame> frames) {
        return new StepResult(name, adds, switches, command, valid, invalidReasons, samples, p50Ms, p90Ms, p99Ms, p999Ms, maxMs,
                achievedRps, errors, throughputRps, capacityRps, statementsPerRequest, dbMsPerRequest, connectionMsPerRequest,
                shopCpuPercent, postgresCpuPercent, cacheHitRatio, cacheHitRatios, bytesPerResponse, bottleneck, bottleneckKind, topStatements, byKind,
                probes, List.copyOf(frames), spectrum);
    }

    /** One request kind at the offered rate. */
    public record Kind(long samples, Double p50Ms, Double p99Ms, Double bytesPerResponse) {
    }

    /** A normalized statement's share of the window's database time. */
    public record Statement(String query, long calls, double totalMs, double share) {
    }
}
