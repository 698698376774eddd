package dev.headroom.experiments.faults;

import dev.headroom.lab.schedule.Schedule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.time.Duration;
import java.util.stream.IntStream;
import dev.headroom.experiments.faults.FaultsLabResult.Bucket;
import dev.headroom.experiments.faults.FaultsLabResult.Phase;

/**
 * Every request of one fault run: its arrival's index, when it came and ended, its status (0: no answer). After the
 * run, each request's intended send time is recovered from the schedule ({@code start + offset(index)}, the start
 * being the earliest {@code arrival - offset}, since an arrival is never early), so latencies count from the
 * intended time as the generator's own histograms do, coordinated omission included; then the phases and
 * {@value #P99} percentiles are exact (nearest rank over the requests themselves, no histogram).
 *
 * <p>Recovery: the requests after the fault's end in {@link FaultsLabOptions#BUCKET} buckets by intended time; a
 * bucket holds the SLO when its p99 is at most the SLO's and at most {@link FaultsLabOptions#SLO_MAX_ERROR_SHARE} of
 * its requests failed. {@code recoveryMs} is the start of the first bucket from which on it holds for
 * {@code sustainFor} on end, counted from the fault's end (0: at once), all within the recovery phase;
 * -1 when that did not come, or the fault did not end. Sustained, not "to the end of the run": on two shared cores
 * a steady phase has stray failing buckets too ({@code steadySloShare} says how many), and one such bucket at the
 * end of the phase would otherwise put recovery there.
 *
 * <p>{@link #add} is called on the generator's event loop, {@link #analyze} after the run: both synchronized.
 */
final class Timeline {
    static final double P99 = 0.99;

    private long[] index = new long[1024];
    private long[] arrived = new long[1024];
    private long[] ended = new long[1024];
    private int[] status = new int[1024];
    private int size;

    record Analysis(Phase before, Phase during, Phase after, List<Bucket> buckets, long recoveryMs, double steadySloShare) { }

    synchronized void add(long arrivalIndex, long arrivedNanos, long endedNanos, int answerStatus) {
        if (size == index.length) {
            index = Arrays.copyOf(index, size * 2);
            arrived = Arrays.copyOf(arrived, size * 2);
            ended = Arrays.copyOf(ended, size * 2);
            status = Arrays.copyOf(status, size * 2);
        }
        index[size] = arrivalIndex;
        arrived[size] = arrivedNanos;
        ended[size] = endedNanos;
        status[size] = answerStatus;
        size++;
    }

    /**
     * @param schedule      the run's own schedule: its offsets are recomputed, in order, from the start
     * @param recoveryPhase from the fault's end: only buckets within it count for recovery
     * @param sustainFor    how long the SLO must hold on end to count as recovered
     */
    synchronized Analysis analyze(Schedule schedule, FaultWindow window, double sloP99Ms, Duration recoveryPhase, Duration sustainFor) {
        if (size == 0) {
            return new Analysis(Phase.NONE, Phase.NONE, Phase.NONE, List.of(), -1, 0);
        }
        Integer[] byIndex = IntStream.range(0, size).boxed().sorted(Comparator.comparingLong(i -> index[i])).toArray(Integer[]::new);
        long[] intended = new long[size];
        long start = Long.MAX_VALUE;
        for (int i : byIndex) {
            intended[i] = schedule.offsetNanos(index[i]);
            start = Math.min(start, arrived[i] - intended[i]);
        }
        long last = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            intended[i] += start;
            last = Math.max(last, intended[i]);
        }
        long faultEnd = window.ended() ? window.endNanos() : Long.MAX_VALUE;
        Phase before = phase(intended, Long.MIN_VALUE, window.startNanos());
        Phase during = phase(intended, window.startNanos(), faultEnd);
        Phase after = phase(intended, faultEnd, Long.MAX_VALUE);

        long width = FaultsLabOptions.BUCKET.toNanos();
        long origin = window.ended() ? window.endNanos() : window.startNanos();
        long first = origin - Math.floorDiv(origin - start, width) * width;
        List<Bucket> buckets = new ArrayList<>();
        int steady = 0;
        int steadyHeld = 0;
        List<Boolean> afterEnd = new ArrayList<>(); // whether each bucket of the recovery phase held the SLO, in order
        for (long from = first; from + width <= last; from += width) {
            Phase p = phase(intended, from, from + width);
            boolean held = p.requests() > 0 && p.p99Ms() <= sloP99Ms && p.errors() <= FaultsLabOptions.SLO_MAX_ERROR_SHARE * p.requests();
            buckets.add(new Bucket((from - window.startNanos()) / 1_000_000, p.requests(), p.errors(), p.p99Ms(), held));
            if (from + width <= window.startNanos()) {
                steady++;
                steadyHeld += held ? 1 : 0;
            }
            if (window.ended() && from >= faultEnd && from + width <= faultEnd + recoveryPhase.toNanos()) {
                afterEnd.add(held);
            }
        }
        int sustain = (int) (sustainFor.toNanos() / width);
        long recovery = -1;
        for (int k = 0; k + sustain <= afterEnd.size() && recovery < 0; k++) {
            if (!afterEnd.subList(k, k + sustain).contains(false)) {
                recovery = k * FaultsLabOptions.BUCKET.toMillis();
            }
        }
        return new Analysis(before, during, after, buckets, recovery, steady == 0 ? 0 : (double) steadyHeld / steady);
    }

    private Phase phase(long[] intended, long from, long to) {
        long[] latencies = new long[size];
        int n = 0;
        long errors = 0;
        Map<String, Long> byStatus = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            if (intended[i] >= from && intended[i] < to) {
                latencies[n++] = Math.max(0, ended[i] - intended[i]);
                if (status[i] < 200 || status[i] > 299) {
                    errors++;
                    byStatus.merge(status[i] == 0 ? "none" : Integer.toString(status[i]), 1L, Long::sum);
                }
            }
        }
        if (n == 0) {
            return Phase.NONE;
        }
        Arrays.sort(latencies, 0, n);
        int rank = (int) Math.ceil(P99 * n);
        return new Phase(n, errors, latencies[rank - 1] / 1e6, byStatus);
    }
}
