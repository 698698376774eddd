package dev.headroom.experiments.overload;

/**
 * Experiment 1: a database-bound request class offered twice its measured capacity, with protection (adaptive
 * concurrency limit, CoDel queue, priority shedding) and without.
 *
 * @param capacityRps the class's capacity measured in the same run: the highest offered rate served within the SLO
 * @param offeredRps  what each side was offered (2× capacity)
 * @param with        with protection
 * @param without     the same load, no protection
 */
public record OverloadResult(double capacityRps, double offeredRps, double sloP99Ms, Side with, Side without) {
    /**
     * @param goodputRps         answers within the SLO per second (2xx, latency from the intended send time)
     * @param p99Ms              p99 of the admitted (non-shed) requests, from the intended send time
     * @param shedShare          the share of requests shed (503/429), 0..1
     * @param criticalP99Ms      p99 of the critical class (checkout) sent beside it
     * @param cpuMicrosPerReject the system's CPU time per shed request, in µs (NaN without shedding)
     */
    public record Side(double goodputRps, double p99Ms, double shedShare, double criticalP99Ms, double cpuMicrosPerReject) { }
}
