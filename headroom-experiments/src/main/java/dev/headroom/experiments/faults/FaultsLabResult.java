package dev.headroom.experiments.faults;

import java.util.List;
import java.util.Map;

/**
 * What {@code headroom lab faults} measured: the set-up, then one entry per fault (the JSON's {@code faults}).
 *
 * @param rateRps          offered rate, open model, Poisson arrivals
 * @param sloP99Ms         the SLO recovery is measured against, with {@code sloMaxErrorShare}
 * @param bucketMs         the buckets recovery is measured in
 * @param sustainMs        how long the SLO must hold on end to count as recovered
 * @param steadyMs         load before each fault
 * @param recoveryPhaseMs  load after each fault's end
 * @param pinning          how servers and generator shared the CPUs
 */
public record FaultsLabResult(boolean quick, double rateRps, double sloP99Ms, double sloMaxErrorShare, long bucketMs, long sustainMs, int shopNodes,
                              long steadyMs, long recoveryPhaseMs, long seed, String pinning, String machine, List<FaultResult> faults) {
    public FaultsLabResult {
        faults = List.copyOf(faults);
    }

    /**
     * One fault under load.
     *
     * @param requests       every request of the fault's run (steady phase, fault and recovery phase)
     * @param errors         of those, not answered with a 2xx (no answer included)
     * @param errorsByKind   the errors by HTTP status ({@code "503"}) and by transport failure ({@code timeout},
     *                       {@code connect}, {@code io}), the generator's own count
     * @param p99BeforeMs    p99 of the requests due in the steady phase, from each one's intended send time
     * @param p99DuringMs    the same for those due between the fault's start and its end
     * @param p99AfterMs     the same for those due after its end
     * @param faultMs        from the fault's start to its end (the server back, thawed, the link healed); -1: it did not end
     * @param recoveryMs     from the fault's end until the SLO held again for good; -1: not within the recovery phase
     * @param steadySloShare the share of the steady phase's buckets that held the SLO: the noise floor recovery is read against
     * @param acknowledged   POST /orders answered with a 2xx
     * @param lost           of those, not in PostgreSQL at the end (key absent, or its order absent or without items)
     * @param duplicated     orders of this run no key points at, or keys whose answer named another order
     * @param unanswered     POSTs not acknowledged (an error, no answer)
     * @param storedAnyway   of those, the ones PostgreSQL holds all the same (a retry with the key would learn of them)
     * @param errorCauses    the errors that had an answer, by status and the answer's problem+json {@code detail}
     * @param timeline       every full bucket of the run, for the page's chart
     * @param invalidReasons why the generator marks the run invalid; empty when valid
     */
    public record FaultResult(String name, String description, long requests, long errors, Map<String, Long> errorsByKind, double p99BeforeMs,
                              double p99DuringMs, double p99AfterMs, long faultMs, long recoveryMs, double steadySloShare, long acknowledged, long lost, long duplicated,
                              long unanswered, long storedAnyway, Phase before, Phase during, Phase after, Map<String, Long> errorCauses, List<Bucket> timeline,
                              List<String> invalidReasons) {
        public FaultResult {
            errorsByKind = Map.copyOf(errorsByKind);
            errorCauses = Map.copyOf(errorCauses);
            timeline = List.copyOf(timeline);
            invalidReasons = List.copyOf(invalidReasons);
        }
    }

    /**
     * The requests due in one phase: how many, how many failed, their p99 (ms, exact, from the intended send time),
     * and the errors by status ({@code "503"}; {@code "none"}: no answer, a transport failure or the generator's timeout).
     */
    public record Phase(long requests, long errors, double p99Ms, Map<String, Long> errorsByStatus) {
        static final Phase NONE = new Phase(0, 0, 0, Map.of());

        public Phase {
            errorsByStatus = Map.copyOf(errorsByStatus);
        }
    }

    /** One bucket: its start from the fault's start (ms), its requests, errors and p99, and whether it held the SLO. */
    public record Bucket(long tMs, long requests, long errors, double p99Ms, boolean withinSlo) { }
}
