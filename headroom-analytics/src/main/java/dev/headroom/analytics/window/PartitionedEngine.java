package dev.headroom.analytics.window;

import dev.headroom.analytics.event.EventBatch;
import dev.headroom.analytics.event.EventSink;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The stream-aggregation engine: keyed event-time windows over N worker threads, each owning the keys
 * (categories) that hash to it.
 *
 * <p><b>Concurrency.</b> {@link #offer} may be called from any thread; it takes one lock per batch,
 * splits the batch by key into one share per worker and queues every share, or none when some worker's
 * queue is full (it then returns false; {@link #whenWritable} callbacks run when every queue has room).
 * Every worker gets a share of every batch, empty or not, carrying the batch's source, largest event time
 * and arrival time: so all workers see the same watermarks in the same order (a worker with quiet keys
 * still closes their windows), and N workers report what one would. Per event nothing is locked or
 * allocated but the copy into a share (none with one worker).
 *
 * <p><b>Memory.</b> At most {@code queueCapacity} batches wait per worker; state is the panes of the
 * windows still within their allowed lateness plus one window size, per key, for at most {@code maxKeys} keys
 * and {@code maxSources} sources (past them, new ones are folded into one: a hostile or buggy client cannot grow it).
 *
 * <p><b>Results</b> go to the sink, one call at a time, on worker threads: per key, and merged over keys
 * (key {@link WindowResult#ALL_KEYS}). See {@link WindowCore} for when each kind is emitted and how
 * events are counted. A sink that throws stops its worker; the next {@link #offer} throws, saying why.
 */
public final class PartitionedEngine implements EventSink, AutoCloseable {
    private final Policy policy;
    private final InstantSource clock;
    private final Worker[] workers;
    private final Object lock = new Object();
    private final List<Runnable> waiting = new ArrayList<>();
    private volatile int waitingCount;
    private long received;
    private volatile long receivedSeen;
    private boolean started;
    private boolean closed;

    private PartitionedEngine(Builder b) {
        policy = new Policy(b.windows, b.outOfOrderness.toMillis(), b.allowedLateness.toMillis(), b.idleTimeout.toMillis(),
                b.earlyInterval.toMillis(), Math.ceilDiv(b.maxKeys, b.workers), b.maxSources);
        clock = b.clock;
        ResultMerger merger = new ResultMerger(policy, b.workers, b.sink);
        workers = new Worker[b.workers];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i, policy, merger, b.queueCapacity, clock, this::roomFreed);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public PartitionedEngine start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("the engine was already started");
            }
            started = true;
        }
        for (Worker w : workers) {
            w.start();
        }
        return this;
    }

    @Override
    public boolean offer(EventBatch batch) {
        synchronized (lock) {
            if (!started || closed) {
                throw new IllegalStateException(closed ? "the engine is closed" : "the engine is not started: call start() first");
            }
            for (int i = 0; i < workers.length; i++) {
                Throwable failure = workers[i].failure();
                if (failure != null) {
                    throw new IllegalStateException("window worker " + i + " stopped: " + failure, failure);
                }
                if (!workers[i].hasRoom()) {
                    return false;
                }
            }
            long arrival = clock.millis();
            long max = Long.MIN_VALUE;
            int n = batch.size();
            for (int i = 0; i < n; i++) {
                max = Math.max(max, batch.time(i));
            }
            received += n;
            receivedSeen = received;
            if (workers.length == 1) {
                workers[0].put(new Worker.Share(batch, batch.source(), max, arrival));
                return true;
            }
            EventBatch[] shares = new EventBatch[workers.length];
            for (int i = 0; i < n; i++) {
                int w = workerOf(batch.category(i));
                if (shares[w] == null) {
                    shares[w] = new EventBatch(batch.source(), Math.max(16, 2 * n / workers.length));
                }
                shares[w].addFrom(batch, i);
            }
            for (int w = 0; w < workers.length; w++) {
                workers[w].put(new Worker.Share(shares[w], batch.source(), max, arrival));
            }
            return true;
        }
    }

    private int workerOf(int category) {
        int h = category * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 16), workers.length);
    }

    @Override
    public void whenWritable(Runnable ready) {
        Objects.requireNonNull(ready, "ready");
        synchronized (lock) {
            if (!hasRoom()) {
                waiting.add(ready);
                waitingCount = waiting.size();
                // A worker may have taken a batch between the check and the count, and seen no one waiting: look again.
                if (!hasRoom()) {
                    return;
                }
                waiting.remove(ready);
                waitingCount = waiting.size();
            }
        }
        ready.run();
    }

    private boolean hasRoom() {
        for (Worker w : workers) {
            if (!w.hasRoom()) {
                return false;
            }
        }
        return true;
    }

    /** A worker took a batch: run the waiting callbacks if every queue has room now. */
    private void roomFreed() {
        if (waitingCount == 0) {
            return;
        }
        List<Runnable> ready;
        synchronized (lock) {
            if (waiting.isEmpty() || !hasRoom()) {
                return;
            }
            ready = List.copyOf(waiting);
            waiting.clear();
            waitingCount = 0;
        }
        ready.forEach(Runnable::run);
    }

    /** Drains the queues, reports what late events changed, and stops the workers. Open windows are not fired. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            for (Worker w : workers) {
                if (started) {
                    w.close();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Events taken by {@link #offer}. After {@link #close}, {@code received = counted + late + dropped}. */
    public long received() {
        return receivedSeen;
    }

    /** Events counted on time (for the first window spec). */
    public long counted() {
        long sum = 0;
        for (Worker w : workers) {
            sum += w.core().counted();
        }
        return sum;
    }

    /** Events that came after a window of theirs had fired and were still counted (first window spec). */
    public long late() {
        long sum = 0;
        for (Worker w : workers) {
            sum += w.core().late();
        }
        return sum;
    }

    /** Events that came after their allowed lateness and were not counted (first window spec). */
    public long dropped() {
        long sum = 0;
        for (Worker w : workers) {
            sum += w.core().dropped();
        }
        return sum;
    }

    /** The global watermark, event time (epoch ms): the least of the workers' (they agree once drained). */
    public long watermark() {
        long min = Long.MAX_VALUE;
        for (Worker w : workers) {
            min = Math.min(min, w.core().watermark());
        }
        return min;
    }

    public List<WindowSpec> windows() {
        return policy.windows();
    }

    /** Batches waiting in the queues now. */
    int queued() {
        int sum = 0;
        for (Worker w : workers) {
            sum += w.queued();
        }
        return sum;
    }

    /**
     * Configures an engine. Each setter may be called once and checks its value at once; {@link #build}
     * checks that the windows and the sink are set.
     */
    public static final class Builder {
        public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofSeconds(1);
        public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofSeconds(5);
        public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);
        public static final Duration DEFAULT_EARLY_INTERVAL = Duration.ofMillis(200);
        /** One worker: on two cores, the other core parses. */
        public static final int DEFAULT_WORKERS = 1;
        /** Batches per worker queue. */
        public static final int DEFAULT_QUEUE_CAPACITY = 64;
        /**
         * Keys (categories) kept apart; the rest are counted together under {@link WindowResult#OTHER_KEYS}. A key that
         * gets events all the time holds a live pane per pane of its horizon, each with its sketches (~35 KB): about
         * 1 MB a key for a 10 s window of 1 s slides.
         */
        public static final int DEFAULT_MAX_KEYS = 256;
        /** Sources whose watermarks are kept apart; the rest share one. */
        public static final int DEFAULT_MAX_SOURCES = 1_024;

        private List<WindowSpec> windows;
        private Duration outOfOrderness;
        private Duration allowedLateness;
        private Duration idleTimeout;
        private Duration earlyInterval;
        private int workers;
        private int queueCapacity;
        private int maxKeys;
        private int maxSources;
        private WindowSink sink;
        private InstantSource clock;

        private Builder() {
        }

        /** The windows to keep; the first is the one the engine's counters follow. */
        public Builder windows(WindowSpec... windows) {
            once(this.windows, "windows");
            if (windows.length == 0) {
                throw new IllegalArgumentException("windows must name at least one window, e.g. WindowSpec.tumbling(Duration.ofSeconds(1))");
            }
            this.windows = List.of(windows);
            new Policy(this.windows, 0, 0, 1, 1); // checks them now
            return this;
        }

        /** How far behind the largest event time of a source its events may come on time. Default 1 s. */
        public Builder outOfOrderness(Duration d) {
            once(outOfOrderness, "outOfOrderness");
            outOfOrderness = notNegative("outOfOrderness", d);
            return this;
        }

        /** How long after a window fired its late events are still counted. Default 5 s. */
        public Builder allowedLateness(Duration d) {
            once(allowedLateness, "allowedLateness");
            allowedLateness = notNegative("allowedLateness", d);
            return this;
        }

        /** Wall-clock silence after which a source's watermark moves on with the wall clock. Default 5 s. */
        public Builder idleTimeout(Duration d) {
            once(idleTimeout, "idleTimeout");
            idleTimeout = positive("idleTimeout", d);
            return this;
        }

        /** How often (wall clock) open windows report EARLY results. Default 200 ms. */
        public Builder earlyInterval(Duration d) {
            once(earlyInterval, "earlyInterval");
            earlyInterval = positive("earlyInterval", d);
            return this;
        }

        public Builder workers(int n) {
            once(workers == 0 ? null : workers, "workers");
            if (n < 1 || n > 256) {
                throw new IllegalArgumentException("workers must be between 1 and 256, was " + n);
            }
            workers = n;
            return this;
        }

        public Builder queueCapacity(int batches) {
            once(queueCapacity == 0 ? null : queueCapacity, "queueCapacity");
            if (batches < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1 batch, was " + batches);
            }
            queueCapacity = batches;
            return this;
        }

        /**
         * At most this many keys have windows of their own (split evenly over the workers); events of keys first seen
         * beyond it are counted under {@link WindowResult#OTHER_KEYS}, so a client sending ever new keys cannot grow the
         * state without bound and the totals over keys stay exact. Default 256.
         */
        public Builder maxKeys(int keys) {
            once(maxKeys == 0 ? null : maxKeys, "maxKeys");
            if (keys < 1) {
                throw new IllegalArgumentException("maxKeys must be at least 1, was " + keys);
            }
            maxKeys = keys;
            return this;
        }

        /**
         * At most this many sources have a watermark of their own; batches of sources first seen beyond it share one
         * (so their events may count as late behind the fastest of them). Default 1,024.
         */
        public Builder maxSources(int sources) {
            once(maxSources == 0 ? null : maxSources, "maxSources");
            if (sources < 1) {
                throw new IllegalArgumentException("maxSources must be at least 1, was " + sources);
            }
            maxSources = sources;
            return this;
        }

        public Builder sink(WindowSink sink) {
            once(this.sink, "sink");
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The wall clock for arrival times, idle sources and emission times. Default the system clock. */
        public Builder clock(InstantSource clock) {
            once(this.clock, "clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public PartitionedEngine build() {
            if (windows == null) {
                throw new IllegalStateException("windows must be set, e.g. windows(WindowSpec.tumbling(Duration.ofSeconds(1)))");
            }
            if (sink == null) {
                throw new IllegalStateException("sink must be set: where window results go");
            }
            outOfOrderness = orDefault(outOfOrderness, DEFAULT_OUT_OF_ORDERNESS);
            allowedLateness = orDefault(allowedLateness, DEFAULT_ALLOWED_LATENESS);
            idleTimeout = orDefault(idleTimeout, DEFAULT_IDLE_TIMEOUT);
            earlyInterval = orDefault(earlyInterval, DEFAULT_EARLY_INTERVAL);
            workers = workers == 0 ? DEFAULT_WORKERS : workers;
            queueCapacity = queueCapacity == 0 ? DEFAULT_QUEUE_CAPACITY : queueCapacity;
            maxKeys = maxKeys == 0 ? DEFAULT_MAX_KEYS : maxKeys;
            maxSources = maxSources == 0 ? DEFAULT_MAX_SOURCES : maxSources;
            clock = clock == null ? InstantSource.system() : clock;
            return new PartitionedEngine(this);
        }

        private static <T> T orDefault(T value, T fallback) {
            return value == null ? fallback : value;
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " was already set to " + current);
            }
        }

        private static Duration notNegative(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException(name + " must be zero or more whole milliseconds, was " + d);
            }
            return d;
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero() || d.toNanos() % 1_000_000 != 0) {
                throw new IllegalArgumentException(name + " must be a positive whole number of milliseconds, was " + d);
            }
            return d;
        }
    }
}
