package dev.headroom.edge.admission;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Admission under an adaptive concurrency limit, with a bounded CoDel queue and priority shedding. Never blocks:
 * {@link #acquire} answers with a future that is already complete when the request is admitted or refused at once,
 * and completes later (on the thread that frees a permit, or that notices the wait ran out) when it was queued; so
 * it serves a Netty/Vert.x event loop and virtual threads alike. Continuations must not block: hop to your executor.
 *
 * <p><b>Limit.</b> The algorithm is Netflix concurrency-limits' ({@link Gradient2Limit} by default): each
 * {@link Permit#complete} is a latency sample ({@code onSample(start, rtt, inFlight, didDrop)}), and the limit
 * follows the gradient between the long-run and the recent latency. This class keeps its own floor on top
 * ({@code minLimit}, applied whatever the algorithm says): a latency spike must cut the limit, never to 1 (Envoy
 * #8337, where a min-RTT probe did, and the success rate fell with it).
 *
 * <p><b>Priority.</b> A class may hold permits only while the requests in flight are below its share of the limit
 * (critical 100 %, normal 90 %, sheddable 80 % by default): what the lower classes cannot take stays free for the
 * critical one, so checkout is admitted at once while searches queue or are shed. A freed permit goes to the highest
 * class waiting; a full queue makes room for a higher class by evicting the newest waiter of the lowest class below it.
 * Shares rather than "reject the lower classes whenever anything waits": a share keeps capacity for checkout before
 * a queue has formed, when the next checkout arrives.
 *
 * <p><b>Queue (CoDel, the "Fail at Scale" variant).</b> While the queue has not been empty for a whole
 * {@code interval} (100 ms by default) it is a standing queue, and a waiter that has waited more than {@code target}
 * (5 ms) is dropped; otherwise a waiter may wait up to {@code interval}. So a burst is absorbed, a standing queue is
 * kept short, and a dropped request is answered fast instead of late. Waits are checked at every arrival and every
 * release, which under overload come microseconds apart, and by a sweep every interval while anyone waits (one daemon
 * thread for all controllers), so a waiter is answered even when nothing arrives or is released.
 *
 * <p><b>Concurrency and cost.</b> One lock guards the counts and the queue (a few field updates per call); futures
 * are completed outside it. Counters are {@link LongAdder}s.
 */
public final class AdmissionController {
    private final Limit algorithm;
    private final int minLimit;
    private final int maxQueue;
    private final long targetNanos;
    private final long intervalNanos;
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("headroom-admission-sweeper").factory());
    /** Whether a {@link #sweep} is due (under the lock). */
    private boolean sweepScheduled;
    private final Map<Priority, Double> shares;
    private final LongSupplier clock;

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Priority, ArrayDeque<Waiter>> queues = new EnumMap<>(Priority.class);
    private int inFlight;
    private int queued;
    /** When the queue was last seen empty: a queue non-empty for a whole interval is a standing queue. */
    private long lastEmptyNanos;
    private volatile int limit;

    private final Map<Priority, LongAdder> admitted = counters();
    private final Map<Priority, LongAdder> shed = counters();
    private final Map<Priority, LongAdder> expired = counters();

    private AdmissionController(Builder b) {
        this.minLimit = b.minLimit;
        this.maxQueue = b.maxQueue;
        this.targetNanos = b.target.toNanos();
        this.intervalNanos = b.interval.toNanos();
        this.shares = new EnumMap<>(b.shares);
        this.clock = b.clock;
        this.algorithm = b.algorithm != null ? b.algorithm : Gradient2Limit.newBuilder()
                .initialLimit(b.initialLimit).minLimit(b.minLimit).maxConcurrency(b.maxLimit).build();
        for (Priority p : Priority.values()) {
            queues.put(p, new ArrayDeque<>());
        }
        this.lastEmptyNanos = clock.getAsLong();
        this.limit = Math.max(minLimit, algorithm.getLimit());
        algorithm.notifyOnChange(l -> {
            limit = Math.max(minLimit, l);
            drain(); // a higher limit may admit waiters now
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks for a permit for a request of {@code priority}, never waiting: the future is complete at once when the
     * request is admitted or refused, and completes later when it is queued.
     */
    public CompletionStage<Admission> acquire(Priority priority) {
        List<Runnable> later = new ArrayList<>(1);
        CompletableFuture<Admission> answer;
        lock.lock();
        try {
            long t = clock.getAsLong();
            expire(t, later);
            Permit now = admitNow(priority, t);
            answer = now != null ? CompletableFuture.completedFuture(now) : enqueue(priority, t, later);
        } finally {
            lock.unlock();
        }
        later.forEach(Runnable::run);
        return answer;
    }

    /**
     * A permit if one is free for {@code priority} right now, else null (counted as shed); never queues. For callers
     * that cannot wait at all.
     */
    public Permit tryAcquire(Priority priority) {
        Permit p;
        lock.lock();
        try {
            p = admitNow(priority, clock.getAsLong());
        } finally {
            lock.unlock();
        }
        if (p == null) {
            shed.get(priority).increment();
        }
        return p;
    }

    // --- engine (under the lock unless said) ---

    /** A permit when in flight is below the class's share of the limit and no one of this class or higher waits ahead. */
    private Permit admitNow(Priority priority, long t) {
        if (inFlight >= capacity(priority) || waitingAtOrAbove(priority)) {
            return null;
        }
        return grant(priority, t);
    }

    private Permit grant(Priority priority, long t) {
        inFlight++;
        admitted.get(priority).increment();
        return new Permit(this, priority, t, inFlight);
    }

    private int capacity(Priority priority) {
        return Math.max(1, (int) (limit * shares.get(priority)));
    }

    private boolean waitingAtOrAbove(Priority priority) {
        for (Priority p : Priority.values()) {
            if (!queues.get(p).isEmpty()) {
                return true;
            }
            if (p == priority) {
                return false;
            }
        }
        return false;
    }

    /** Queues the request, evicting a lower class's newest waiter when full; refused when there is no room. */
    private CompletableFuture<Admission> enqueue(Priority priority, long t, List<Runnable> later) {
        if (queued >= maxQueue && !evictBelow(priority, later)) {
            shed.get(priority).increment();
            return CompletableFuture.completedFuture(new Rejection(priority, Rejection.Reason.QUEUE_FULL));
        }
        if (queued == 0) {
            lastEmptyNanos = t;
        }
        Waiter w = new Waiter(priority, t, new CompletableFuture<>());
        queues.get(priority).addLast(w);
        queued++;
        if (!sweepScheduled) {
            sweepScheduled = true;
            SWEEPER.schedule(this::sweep, intervalNanos, TimeUnit.NANOSECONDS);
        }
        return w.future;
    }

    private boolean evictBelow(Priority priority, List<Runnable> later) {
        Priority[] all = Priority.values();
        for (int i = all.length - 1; i > priority.ordinal(); i--) {
            Waiter w = queues.get(all[i]).pollLast();
            if (w != null) {
                queued--;
                shed.get(w.priority).increment();
                later.add(() -> w.future.complete(new Rejection(w.priority, Rejection.Reason.EVICTED)));
                return true;
            }
        }
        return false;
    }

    /**
     * Arrivals and releases drop what waited too long; this drops it when neither comes (a permit held for long, no
     * new request): without it a lone waiter could wait for as long as the permit is held. Every interval while
     * anyone waits, on one daemon thread for all controllers.
     */
    private void sweep() {
        List<Runnable> later = new ArrayList<>();
        lock.lock();
        try {
            expire(clock.getAsLong(), later);
            sweepScheduled = queued > 0;
            if (sweepScheduled) {
                SWEEPER.schedule(this::sweep, intervalNanos, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
        later.forEach(Runnable::run);
    }

    /** Drops every waiter past its timeout: {@code target} in a standing queue, {@code interval} otherwise. */
    private void expire(long t, List<Runnable> later) {
        if (queued == 0) {
            lastEmptyNanos = t;
            return;
        }
        long timeout = t - lastEmptyNanos >= intervalNanos ? targetNanos : intervalNanos;
        for (ArrayDeque<Waiter> q : queues.values()) {
            while (!q.isEmpty() && t - q.peekFirst().enqueuedNanos > timeout) {
                Waiter w = q.pollFirst();
                queued--;
                expired.get(w.priority).increment();
                later.add(() -> w.future.complete(new Rejection(w.priority, Rejection.Reason.EXPIRED)));
            }
        }
        if (queued == 0) {
            lastEmptyNanos = t;
        }
    }

    /** Hands free permits to the waiters, highest class first, after dropping the expired. */
    private void admitWaiters(long t, List<Runnable> later) {
        expire(t, later);
        for (Priority p : Priority.values()) {
            ArrayDeque<Waiter> q = queues.get(p);
            while (!q.isEmpty() && inFlight < capacity(p)) {
                Waiter w = q.pollFirst();
                queued--;
                Permit permit = grant(p, t);
                later.add(() -> w.future.complete(permit));
            }
        }
        if (queued == 0) {
            lastEmptyNanos = t;
        }
    }

    void release(Permit permit, Permit.Outcome outcome) {
        int inFlightAtStart = permit.inFlightAtStart();
        long t;
        List<Runnable> later = new ArrayList<>(2);
        lock.lock();
        try {
            inFlight--;
            t = clock.getAsLong();
            admitWaiters(t, later);
        } finally {
            lock.unlock();
        }
        later.forEach(Runnable::run);
        // The algorithm has its own lock; its change callback (drain) takes ours: never call it holding ours.
        if (outcome != Permit.Outcome.NONE) {
            // Gradient2 reads no didDrop: a drop (a failure, often a fast one) is given as a sample at least a CoDel
            // interval long, so that it lowers the limit instead of passing for a quick answer.
            long rtt = t - permit.startNanos();
            boolean drop = outcome == Permit.Outcome.DROP;
            algorithm.onSample(permit.startNanos(), drop ? Math.max(rtt, intervalNanos) : rtt, inFlightAtStart, drop);
        }
    }

    private void drain() {
        List<Runnable> later = new ArrayList<>();
        lock.lock();
        try {
            admitWaiters(clock.getAsLong(), later);
        } finally {
            lock.unlock();
        }
        later.forEach(Runnable::run);
    }

    // --- figures, plain getters for any metrics registry ---

    /** The adaptive limit now, never below {@code minLimit}. */
    public int limit() {
        return limit;
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int queued() {
        lock.lock();
        try {
            return queued;
        } finally {
            lock.unlock();
        }
    }

    /** Requests of the class given a permit, at once or from the queue. */
    public long admitted(Priority priority) {
        return admitted.get(priority).sum();
    }

    /** Requests of the class refused without waiting out their time: the queue was full, or a higher class evicted them. */
    public long shed(Priority priority) {
        return shed.get(priority).sum();
    }

    /** Requests of the class dropped from the queue by CoDel, having waited past their timeout. */
    public long expired(Priority priority) {
        return expired.get(priority).sum();
    }

    private static Map<Priority, LongAdder> counters() {
        Map<Priority, LongAdder> m = new EnumMap<>(Priority.class);
        for (Priority p : Priority.values()) {
            m.put(p, new LongAdder());
        }
        return m;
    }

    /**
     * How an {@link AdmissionController} admits. Each setter checks its value at once; {@link #build} checks the
     * limits against each other.
     */
    public static final class Builder {
        /** Default floor of the adaptive limit. */
        public static final int DEFAULT_MIN_LIMIT = 8;
        public static final int DEFAULT_INITIAL_LIMIT = 20;
        public static final int DEFAULT_MAX_LIMIT = 1000;
        public static final int DEFAULT_MAX_QUEUE = 128;
        /** The longest wait in a standing queue (CoDel's target). */
        public static final Duration DEFAULT_TARGET = Duration.ofMillis(5);
        /** How long the queue must stay non-empty to be a standing queue; also the longest wait in a burst. */
        public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

        private int initialLimit = DEFAULT_INITIAL_LIMIT;
        private int minLimit = DEFAULT_MIN_LIMIT;
        private int maxLimit = DEFAULT_MAX_LIMIT;
        private int maxQueue = DEFAULT_MAX_QUEUE;
        private Duration target = DEFAULT_TARGET;
        private Duration interval = DEFAULT_INTERVAL;
        private final Map<Priority, Double> shares = new EnumMap<>(Map.of(Priority.CRITICAL, 1.0, Priority.NORMAL, 0.9,
                Priority.SHEDDABLE, 0.8));
        private LongSupplier clock = System::nanoTime;
        private Limit algorithm;

        private Builder() {
        }

        /** @throws IllegalArgumentException when below 1 */
        public Builder initialLimit(int n) {
            this.initialLimit = atLeastOne("initialLimit", n);
            return this;
        }

        /** The floor: whatever the latency does, at least this many requests run at once. @throws IllegalArgumentException when below 1 */
        public Builder minLimit(int n) {
            this.minLimit = atLeastOne("minLimit", n);
            return this;
        }

        /** @throws IllegalArgumentException when below 1 */
        public Builder maxLimit(int n) {
            this.maxLimit = atLeastOne("maxLimit", n);
            return this;
        }

        /** Requests that may wait for a permit, all classes together; 0 for no queue. @throws IllegalArgumentException when negative */
        public Builder maxQueue(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxQueue must not be negative, was " + n);
            }
            this.maxQueue = n;
            return this;
        }

        /**
         * CoDel's target and interval: a queue non-empty for {@code interval} drops waiters older than {@code target}.
         *
         * @throws IllegalArgumentException unless 0 &lt; target &lt;= interval
         */
        public Builder codel(Duration target, Duration interval) {
            if (target == null || interval == null || target.isNegative() || target.isZero() || interval.compareTo(target) < 0) {
                throw new IllegalArgumentException("codel needs 0 < target <= interval, was target " + target + ", interval " + interval);
            }
            this.target = target;
            this.interval = interval;
            return this;
        }

        /**
         * The share of the limit requests of {@code priority} may fill, in (0, 1]; the critical class's is 1.
         *
         * @throws IllegalArgumentException for the critical class, or a share outside (0, 1]
         */
        public Builder share(Priority priority, double share) {
            if (priority == Priority.CRITICAL) {
                throw new IllegalArgumentException("the critical class always has the whole limit; set the other classes' shares");
            }
            if (!(share > 0 && share <= 1)) {
                throw new IllegalArgumentException("share of " + priority + " must be in (0, 1], was " + share);
            }
            shares.put(priority, share);
            return this;
        }

        /** Another algorithm than Gradient2 (e.g. {@code VegasLimit}); the initial and max limits then are its own, the floor stays ours. */
        public Builder algorithm(Limit limit) {
            if (limit == null) {
                throw new IllegalArgumentException("algorithm must not be null");
            }
            this.algorithm = limit;
            return this;
        }

        /** For tests: a nanosecond clock. */
        Builder clock(LongSupplier nanos) {
            this.clock = nanos;
            return this;
        }

        /** @throws IllegalArgumentException unless minLimit &lt;= initialLimit &lt;= maxLimit, or the normal share is below the sheddable one */
        public AdmissionController build() {
            if (minLimit > initialLimit || initialLimit > maxLimit) {
                throw new IllegalArgumentException("the limits must satisfy minLimit <= initialLimit <= maxLimit, were "
                        + minLimit + ", " + initialLimit + ", " + maxLimit);
            }
            if (shares.get(Priority.NORMAL) < shares.get(Priority.SHEDDABLE)) {
                throw new IllegalArgumentException("the normal share (" + shares.get(Priority.NORMAL) + ") must not be below the sheddable share ("
                        + shares.get(Priority.SHEDDABLE) + ")");
            }
            return new AdmissionController(this);
        }

        private static int atLeastOne(String name, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + n);
            }
            return n;
        }
    }

    private record Waiter(Priority priority, long enqueuedNanos, CompletableFuture<Admission> future) { }
}
