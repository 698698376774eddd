package dev.headroom.lab.run;

import dev.headroom.lab.schedule.Schedule;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's engine: one Netty event loop (one core) owning every connection, the arrival
 * pacer, the histograms and the clock. Everything below runs on that one thread, so there are no locks
 * and the hot path (pace, write a pre-encoded request, parse a response with {@link ResponseParser}, record
 * three values) allocates nothing of its own (the cumulation buffer of Netty's decoder base aside).
 *
 * <p>Open model: the pacer wakes, dispatches every arrival whose intended time has come (late wakes
 * are recorded as schedule lag, the generator's own fault), and each request goes to an idle
 * connection or waits in a FIFO for one. Waiting for a connection that a slow server still holds is
 * not the generator's fault: it is counted from the intended time, so it lands in the corrected
 * histogram, where coordinated omission would otherwise hide it. Closed model: each connection sends
 * its next request as soon as the last one is answered.
 *
 * <p>Several targets: each {@link Target} has the configured number of connections and its own FIFO.
 * Open-model arrivals go to the targets in turn; a closed-model connection sends to its own target. An
 * arrival's later steps stay on its target. One schedule, one set of measurements for all of them.
 *
 * <p>Timeouts are swept every 10 ms: an answered-too-late request, or one that waited longer than the
 * timeout for a connection, is recorded as a timeout with its full latency, never dropped.
 *
 * <p>Around that loop, on the same thread and off the send/receive path: {@link Connector} makes the
 * connections, {@link IntervalRecorder} closes an interval each second, and {@link SelfCheck} watches
 * the loop's own CPU use. What the hot path reads (the clock bounds, the counters) stays in fields of
 * this class, one load away as before; a connection's idle and waiting queues are one load further, in
 * its {@link Target}.
 */
final class Engine {
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long RECONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long FORGET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long PACE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final LoadRun.Config config;
    private final Schedule schedule;
    private final Workload workload;
    private final Measurements m;
    /**
     * Where warm-up requests are recorded and then forgotten. Recording them, rather than skipping them,
     * keeps one code path from the first request to the last: the JIT compiles the recording during the
     * warm-up instead of deoptimizing and recompiling it at the start of the measured part, a stall
     * long enough (~1 s on a busy core) to build a backlog that the run would then measure.
     */
    private final Measurements warmup;
    private final Measurements[] sinks;
    /** The run's origins, each with its connections and queue; arrivals go to them in turn. */
    private final Target[] targets;
    private final Connector connector;
    private final EventLoop loop;
    private final List<Conn> conns = new ArrayList<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final LoopCpuClock cpuClock = new LoopCpuClock();
    private final SelfCheck selfCheck;
    /** Null when the caller wants no progress. */
    private final ProgressRelay relay;
    /** Made when the run begins (it needs the start time); null before. */
    private IntervalRecorder intervals;

    private long start;
    private long measureFrom;
    private long measureTo;
    private long nextArrival;
    private long nextOffset;
    /** Index in {@link #targets} of the next open-model arrival's target (round robin). */
    private int turn;
    private boolean arrivalsDone;
    private int inFlight;
    private boolean aborted;

    Engine(LoadRun.Config config, Schedule schedule, Workload workload, Measurements measurements, Connector connector) {
        this.config = config;
        this.schedule = schedule;
        this.workload = workload;
        this.m = measurements;
        this.warmup = new Measurements(null, System.currentTimeMillis());
        this.sinks = new Measurements[] {m, warmup};
        RequestSpec fixed = workload instanceof Workload.Fixed f ? f.request() : null;
        this.targets = config.targets().stream().map(uri -> new Target(uri, fixed, connector)).toArray(Target[]::new);
        this.connector = connector;
        this.loop = connector.loop();
        this.selfCheck = new SelfCheck(schedule != null, cpuClock);
        this.relay = config.progress() == null ? null : new ProgressRelay(config.progress());
    }

    /**
     * Runs the whole test; returns when every measured request is answered, failed or timed out. The
     * connections are open before the plan's time 0, so that opening them is not measured. Meanwhile the
     * calling thread hands the progress to the caller's consumer ({@link ProgressRelay}).
     */
    void run() throws InterruptedException {
        loop.submit(cpuClock::bindToCurrentThread).sync();
        connectAll();
        loop.execute(this::begin);
        if (relay != null) {
            relay.deliverUntil(finished);
        }
        finished.join();
    }

    /** Connections opened to {@code targets[target]} (as given in the config), reconnections included. */
    int opened(int target) {
        return targets[target].opened;
    }

    /** Connections opened over all targets. */
    int opened() {
        int n = 0;
        for (Target t : targets) {
            n += t.opened;
        }
        return n;
    }

    long sendsInWindow() {
        return m.sends;
    }

    int inFlightAtEnd() {
        return inFlight + queued();
    }

    /** Requests waiting for a connection, over all targets. */
    private int queued() {
        int n = 0;
        for (Target t : targets) {
            n += t.waiting.size();
        }
        return n;
    }

    boolean aborted() {
        return aborted;
    }

    /** The generator's checks on itself: its CPU share, saturation and verdicts. Read after {@link #run}. */
    SelfCheck selfCheck() {
        return selfCheck;
    }

    private void connectAll() throws InterruptedException {
        List<ChannelFuture> futures = new ArrayList<>();
        for (Target target : targets) {
            for (int i = 0; i < config.connections(); i++) {
                futures.add(connect(new Conn(this, target)));
            }
        }
        for (ChannelFuture f : futures) {
            f.await();
        }
    }

    private ChannelFuture connect(Conn conn) {
        ChannelFuture f = connector.connect(conn);
        f.addListener(done -> {
            Target target = conn.target;
            if (done.isSuccess()) {
                conn.channel = f.channel();
                target.opened++;
                target.live++;
                conns.add(conn);
                target.lastConnectFailed = false;
                if (start != 0) {
                    next(conn);
                } else {
                    target.idle.add(conn);
                }
            } else {
                target.lastConnectFailed = true;
                if (start != 0) {
                    failWaitingIfNoConnection(target);
                    retryConnect(conn);
                }
            }
        });
        return f;
    }

    private void begin() {
        start = System.nanoTime();
        measureFrom = start + config.warmupNanos();
        measureTo = schedule != null ? start + (long) (schedule.durationSeconds() * SECOND) : measureFrom + config.durationNanos();
        intervals = new IntervalRecorder(schedule, m, warmup, relay, config.abort(), start, measureFrom);
        if (schedule != null) {
            nextOffset = schedule.offsetNanos(0);
            pace();
        } else {
            for (Target target : targets) {
                for (Conn conn; (conn = target.idle.pollFirst()) != null; ) {
                    send(conn, newJob(System.nanoTime(), target));
                }
            }
        }
        loop.schedule(this::sweep, SWEEP_NANOS, TimeUnit.NANOSECONDS);
        loop.schedule(this::second, Math.max(0, start + SECOND - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (measureFrom > start) {
            loop.schedule(this::forgetWarmup, FORGET_NANOS, TimeUnit.NANOSECONDS);
        }
        if (measureFrom == start) {
            startMeasuring();
        } else {
            loop.schedule(this::startMeasuring, measureFrom - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The measurements an arrival due at {@code intended} belongs to, chosen without a branch: a branch
     * never taken during the warm-up would be compiled as a trap, and taking it at the warm-up's end
     * would throw away the compiled hot path (and the stall would build a backlog the run then measures).
     */
    private Measurements sink(long intended) {
        return sinks[(int) ((intended - measureFrom) >>> 63)];
    }

    private void forgetWarmup() {
        warmup.forget();
        if (System.nanoTime() + FORGET_NANOS < measureFrom) {
            loop.schedule(this::forgetWarmup, FORGET_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void startMeasuring() {
        selfCheck.measureStarted(System.nanoTime());
    }

    private Job newJob(long intended, Target target) {
        Work work = workload.arrival(nextArrival++);
        return new Job(work, work.first(), intended, sink(intended), target);
    }

    /**
     * The target of the next open-model arrival: each in turn. The wrap is branch-free, like {@link #sink}:
     * the rehearsal has one target, so a wrap branch would be compiled as always taken, and the first
     * arrival to another target would throw the compiled pacer away.
     */
    private Target nextTarget() {
        Target t = targets[turn];
        int next = turn + 1;
        turn = next & ((next - targets.length) >> 31); // next while below the count, else 0
        return t;
    }

    /** Open model: dispatch every arrival that is due, then sleep until the next one. */
    private void pace() {
        long now = System.nanoTime();
        while (!arrivalsDone && !aborted && start + nextOffset <= now) {
            long intended = start + nextOffset;
            // lateness during the warm-up (a cold JIT) is not held against the run
            sink(intended).lag(now - intended);
            dispatch(newJob(intended, nextTarget()));
            nextOffset = schedule.offsetNanos(nextArrival);
            if (nextOffset == Schedule.END) {
                arrivalsDone = true;
            }
        }
        if (arrivalsDone || aborted) {
            maybeFinish();
            return;
        }
        // never sooner than PACE_NANOS: a wake per arrival (epoll's timers are that precise) costs more than
        // the arrival itself; batching keeps each arrival at most PACE_NANOS late, and that lateness is recorded
        loop.schedule(this::pace, Math.max(PACE_NANOS, start + nextOffset - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void dispatch(Job job) {
        Target target = job.target;
        Conn conn = target.idle.pollFirst();
        if (conn != null) {
            send(conn, job);
        } else if (target.live == 0 && target.lastConnectFailed) {
            fail(job, 0, System.nanoTime(), "connect");
        } else {
            target.waiting.addLast(job);
        }
    }

    private void send(Conn conn, Job job) {
        conn.job = job;
        conn.body = job.work.needsBody() ? new ByteArrayOutputStream() : null;
        conn.coding = null;
        conn.sent = System.nanoTime();
        if (job.firstStep && conn.sent <= measureTo) {
            job.sink.sends++;
        }
        inFlight++;
        conn.channel.writeAndFlush(conn.target.encoder.encode(job.spec, conn.channel.alloc()), conn.channel.voidPromise());
    }

    void answered(Conn conn, int status, boolean keepAlive, long wireBytes) {
        Job job = conn.job;
        if (job == null) {
            return; // answer to a request already counted as a timeout
        }
        long end = System.nanoTime();
        conn.job = null;
        inFlight--;
        String undecodable = conn.coding == null ? null : ContentCoding.undecodable(conn.coding);
        RequestSpec following = job.work.next(new Response(status, keptBody(conn, undecodable)));
        boolean missing = following == Work.MISSING_CAPTURE;
        String error = !missing ? null : undecodable == null ? "capture" : ContentCoding.captureError(undecodable);
        job.sink.record(job.intended, conn.sent, end, status, wireBytes, error, job.spec.name(), job.firstStep);
        if (missing || aborted || (schedule == null && stopped())) {
            following = null; // an open-model journey runs to its end; a closed-model one stops with the clock
        }
        conn.body = null;
        if (!keepAlive) {
            conn.channel.close(); // channelInactive reconnects it
            if (following != null) {
                job.spec = following;
                job.firstStep = false;
                job.intended = end;
                dispatch(job);
            }
            return;
        }
        if (following != null) {
            job.spec = following;
            job.firstStep = false;
            job.intended = end;
            send(conn, job);
        } else {
            next(conn);
        }
    }

    /**
     * The body the work asked for, decoded ({@link ContentCoding}); null when none was kept, or when it cannot
     * be decoded ({@code undecodable} names a coding, or the data is corrupt), so the capture finds nothing.
     */
    private static byte[] keptBody(Conn conn, String undecodable) {
        if (conn.body == null || undecodable != null) {
            return null;
        }
        byte[] raw = conn.body.toByteArray();
        return conn.coding == null ? raw : ContentCoding.decode(conn.coding, raw);
    }

    /** Gives a free connection its next request: a waiting one, a new closed-model arrival, or none. */
    private void next(Conn conn) {
        Target target = conn.target;
        Job waitingJob = target.waiting.pollFirst();
        if (waitingJob != null) {
            send(conn, waitingJob);
        } else if (schedule == null && !stopped()) {
            long now = System.nanoTime();
            send(conn, newJob(now, target));
        } else {
            target.idle.addLast(conn);
            maybeFinish();
        }
    }

    void lost(Conn conn, String kind) {
        if (conn.channel == null || !conns.remove(conn)) {
            return;
        }
        Target target = conn.target;
        target.live--;
        target.idle.remove(conn);
        if (conn.job != null) {
            inFlight--;
            fail(conn.job, conn.sent, System.nanoTime(), kind);
            conn.job = null;
        }
        if (!finished.isDone() && !(stopped() && inFlight == 0 && queued() == 0)) {
            connect(new Conn(this, target));
        }
        maybeFinish();
    }

    private void retryConnect(Conn conn) {
        if (finished.isDone() || stopped()) {
            maybeFinish();
            return;
        }
        loop.schedule(() -> connect(conn), RECONNECT_NANOS, TimeUnit.NANOSECONDS);
    }

    private void failWaitingIfNoConnection(Target target) {
        if (target.live > 0) {
            return;
        }
        long now = System.nanoTime();
        Job job;
        while ((job = target.waiting.pollFirst()) != null) {
            fail(job, 0, now, "connect");
        }
        maybeFinish();
    }

    private void fail(Job job, long sent, long end, String kind) {
        job.sink.record(job.intended, sent, end, 0, 0, kind, job.spec.name(), job.firstStep);
        // a failed step ends its journey: the work learns of it, and its answer is ignored
        job.work.next(new Response(0, null));
    }

    /** Every 10 ms: requests past the timeout, answered or still waiting, are timeouts. */
    private void sweep() {
        long now = System.nanoTime();
        long limit = config.timeoutNanos();
        for (Conn conn : new ArrayList<>(conns)) {
            if (conn.job != null && now - conn.sent > limit) {
                Job job = conn.job;
                conn.job = null;
                inFlight--;
                fail(job, conn.sent, now, "timeout");
                conns.remove(conn);
                conn.target.live--;
                conn.channel.close();
                if (!stopped()) {
                    connect(new Conn(this, conn.target));
                }
            }
        }
        for (Target target : targets) {
            while (!target.waiting.isEmpty() && now - target.waiting.peekFirst().intended > limit) {
                fail(target.waiting.pollFirst(), 0, now, "timeout");
            }
        }
        maybeFinish();
        if (!finished.isDone()) {
            loop.schedule(this::sweep, SWEEP_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Once a second: the self-check's sample, then the interval, progress and abort rule, then (at the
     * measured part's end) the closing CPU sample. The last interval is left open for {@link #maybeFinish},
     * so answers still arriving after the measured part's end land in it rather than in no interval at all.
     */
    private void second() {
        if (finished.isDone()) {
            return; // due after the end: the loop outlives this engine (a run follows its rehearsal on it)
        }
        long now = System.nanoTime();
        int queued = queued();
        selfCheck.second(now, measureFrom, queued);
        if (intervals.second(now, measureTo, inFlight, queued)) {
            aborted = true;
            measureTo = Math.min(measureTo, now);
        }
        if (now >= measureTo) {
            selfCheck.measureEnded();
        }
        maybeFinish();
        if (!finished.isDone()) {
            loop.schedule(this::second, Math.max(0, intervals.nextWake(now, measureTo) - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private boolean stopped() {
        return aborted || (schedule == null ? System.nanoTime() >= measureTo : arrivalsDone);
    }

    private void maybeFinish() {
        if (finished.isDone() || start == 0 || !stopped() || inFlight > 0 || queued() > 0) {
            return;
        }
        if (schedule != null && !arrivalsDone && !aborted) {
            return;
        }
        long now = System.nanoTime();
        selfCheck.measureEnded();
        intervals.closeRest(measureTo, now); // the last, partial interval(s) up to the end of the measured part
        for (Conn conn : conns) {
            conn.channel.close();
        }
        finished.complete(null);
    }

    long measuredNanos() {
        return measureTo - measureFrom;
    }
}
