package dev.headroom.analytics.ingest;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A sink for tests: counts (and, when asked, keeps) what it takes; while stalled it refuses every batch. */
public final class TestSink implements EventSink {
    private final boolean keep;
    private final AtomicLong events = new AtomicLong();
    private final List<EventBatch> batches = new ArrayList<>();
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean stalled;

    private TestSink(boolean keep) {
        this.keep = keep;
    }

    /** Counts events, keeping nothing. */
    public static TestSink counting() {
        return new TestSink(false);
    }

    /** Counts events and keeps the batches. */
    public static TestSink keeping() {
        return new TestSink(true);
    }

    @Override
    public synchronized boolean offer(EventBatch batch) {
        if (stalled) {
            return false;
        }
        events.addAndGet(batch.size());
        if (keep) {
            batches.add(batch);
        }
        return true;
    }

    @Override
    public void whenWritable(Runnable ready) {
        synchronized (this) {
            if (stalled) {
                waiting.add(ready);
                return;
            }
        }
        ready.run();
    }

    public synchronized void stall() {
        stalled = true;
    }

    /** Takes batches again and runs the callbacks that waited. */
    public void release() {
        List<Runnable> ready;
        synchronized (this) {
            stalled = false;
            ready = new ArrayList<>(waiting);
            waiting.clear();
        }
        ready.forEach(Runnable::run);
    }

    public long events() {
        return events.get();
    }

    public synchronized List<EventBatch> batches() {
        return List.copyOf(batches);
    }

    public synchronized int waiting() {
        return waiting.size();
    }
}
