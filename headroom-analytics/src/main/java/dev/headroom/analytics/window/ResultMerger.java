package dev.headroom.analytics.window;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Between the workers and the {@link WindowSink}: passes per-key results on, and merges the workers'
 * partials (their merge over their own keys) into the ALL_KEYS result. A window's ALL_KEYS FINAL goes
 * out once every worker has fired through its end, so it holds every key; EARLY results merge what
 * the workers have sent so far; a LATE_UPDATE re-merges the latest partial of each worker.
 *
 * <p>Calls to the sink are serialized here (one lock, taken per result, never per event), so a sink
 * need not be thread-safe even with several workers.
 */
final class ResultMerger implements Results {
    private static final class Entry {
        final WindowResult[] partials;
        boolean finalSent;

        Entry(int workers) {
            partials = new WindowResult[workers];
        }
    }

    private final WindowSink sink;
    private final int workers;
    private final long keep;
    /** Per spec: window start → partials, in order of start. */
    private final TreeMap<Long, Entry>[] open;
    /** Per spec, per worker: the watermark it fired through. */
    private final long[][] progress;

    @SuppressWarnings("unchecked")
    ResultMerger(Policy policy, int workers, WindowSink sink) {
        this.sink = sink;
        this.workers = workers;
        this.keep = policy.allowedLateness() + policy.horizonMillis();
        int specs = policy.windows().size();
        open = new TreeMap[specs];
        progress = new long[specs][workers];
        for (int s = 0; s < specs; s++) {
            open[s] = new TreeMap<>();
            Arrays.fill(progress[s], Long.MIN_VALUE);
        }
    }

    @Override
    public synchronized void emit(int worker, int window, WindowResult result) {
        if (result.key() != WindowResult.ALL_KEYS || workers == 1) {
            sink.accept(result);
            return;
        }
        if (result.end() + keep <= minProgress(window)) {
            return; // every worker is past this window's horizon: its entry is gone
        }
        Entry e = open[window].computeIfAbsent(result.start(), k -> new Entry(workers));
        e.partials[worker] = result;
        switch (result.kind()) {
            case EARLY -> {
                if (!e.finalSent) {
                    sink.accept(merged(e, WindowResult.Kind.EARLY));
                }
            }
            case LATE_UPDATE -> {
                if (e.finalSent) {
                    sink.accept(merged(e, WindowResult.Kind.LATE_UPDATE));
                }
            }
            case FINAL -> complete(window);
        }
    }

    @Override
    public synchronized void firedThrough(int worker, int window, long watermark) {
        if (workers == 1 || watermark <= progress[window][worker]) {
            return;
        }
        progress[window][worker] = watermark;
        complete(window);
    }

    private void complete(int window) {
        long through = minProgress(window);
        Iterator<Map.Entry<Long, Entry>> it = open[window].entrySet().iterator();
        while (it.hasNext()) {
            Entry e = it.next().getValue();
            WindowResult any = first(e);
            if (any.end() > through) {
                break;
            }
            if (!e.finalSent) {
                e.finalSent = true;
                sink.accept(merged(e, WindowResult.Kind.FINAL));
            }
            if (any.end() + keep <= through) {
                it.remove();
            }
        }
    }

    private long minProgress(int window) {
        long min = Long.MAX_VALUE;
        for (long p : progress[window]) {
            min = Math.min(min, p);
        }
        return min;
    }

    private static WindowResult first(Entry e) {
        for (WindowResult r : e.partials) {
            if (r != null) {
                return r;
            }
        }
        throw new IllegalStateException("an entry is made with a partial");
    }

    private static WindowResult merged(Entry e, WindowResult.Kind kind) {
        WindowAggregate all = new WindowAggregate();
        long late = 0;
        long dropped = 0;
        long emittedAt = 0;
        WindowResult any = first(e);
        for (WindowResult r : e.partials) {
            if (r != null) {
                all.merge(r.aggregate());
                late += r.late();
                dropped += r.dropped();
                emittedAt = Math.max(emittedAt, r.emittedAtMillis());
            }
        }
        return new WindowResult(any.window(), WindowResult.ALL_KEYS, any.start(), any.end(), kind, all, late, dropped, emittedAt);
    }
}
