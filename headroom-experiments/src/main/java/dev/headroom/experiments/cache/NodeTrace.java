package dev.headroom.experiments.cache;

import dev.headroom.lab.cachesim.OptimalHitRatio;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** One node's L1 trace ({@link OptimalHitRatio}'s format: +id read, -id write) and the index where the measured part starts. */
record NodeTrace(long[] events, int measureFrom) {

    /**
     * Each node's L1 trace: its own reads and writes, and the other nodes' writes (which reach its L1 as
     * invalidations), ordered by time; measured from {@code measureFromNanos}, the end of the warm-up.
     */
    static List<NodeTrace> of(List<TraceWorkload> workloads, long measureFromNanos) {
        List<NodeTrace> traces = new ArrayList<>();
        for (int node = 0; node < workloads.size(); node++) {
            List<long[]> events = new ArrayList<>();
            for (int other = 0; other < workloads.size(); other++) {
                long[] e = workloads.get(other).events();
                long[] t = workloads.get(other).times();
                for (int i = 0; i < e.length; i++) {
                    if (other == node || e[i] < 0) {
                        events.add(new long[] {t[i], e[i]});
                    }
                }
            }
            events.sort(Comparator.comparingLong(a -> a[0]));
            long[] trace = new long[events.size()];
            int from = trace.length;
            for (int i = 0; i < trace.length; i++) {
                trace[i] = events.get(i)[1];
                if (from == trace.length && events.get(i)[0] >= measureFromNanos) {
                    from = i;
                }
            }
            traces.add(new NodeTrace(trace, from));
        }
        return traces;
    }

    /** The hit ratio over all nodes' measured reads of one replay of each node's trace. */
    static double hitRatio(List<NodeTrace> traces, Function<NodeTrace, OptimalHitRatio.Result> replay) {
        long reads = 0;
        long hits = 0;
        for (NodeTrace t : traces) {
            OptimalHitRatio.Result r = replay.apply(t);
            reads += r.reads();
            hits += r.hits();
        }
        return reads == 0 ? 0 : (double) hits / reads;
    }
}
