package dev.headroom.lab.run;

import dev.headroom.lab.schedule.Schedule;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The load generator's engine: one Netty event loop (one core) owning every connection, the arrival
 * pacer, the histograms and the clock. Everything below runs on that one thread, so there are no locks
 * and the hot path (pace, write a pre-encoded request, decode a response, record three values) does
 * not allocate beyond Netty's own decoding.
 *
 * <p>Open model: the pacer wakes, dispatches every arrival whose intended time has come (late wakes
 * are recorded as schedule lag, the generator's own fault), and each request goes to an idle
 * connection or waits in a FIFO for one. Waiting for a connection that a slow server still holds is
 * not the generator's fault: it is counted from the intended time, so it lands in the corrected
 * histogram, where coordinated omission would otherwise hide it. Closed model: each connection sends
 * its next request as soon as the last one is answered.
 *
 * <p>Timeouts are swept every 10 ms: an answered-too-late request, or one that waited longer than the
 * timeout for a connection, is recorded as a timeout with its full latency, never dropped.
 */
final class Engine {
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long RECONNECT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final double SATURATED = 0.9;
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
    private final RequestEncoder encoder;
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Conn> idle = new ArrayDeque<>();
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();
    private final List<Conn> conns = new ArrayList<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    /**
     * Looked up before the run: the first lookup loads the JMX machinery, which took long enough on a busy
     * core (up to a second) to stall the event loop and leave a backlog when it happened at the warm-up's end.
     */
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private long start;
    private long measureFrom;
    private long measureTo;
    private long nextArrival;
    private long nextOffset;
    private boolean arrivalsDone;
    private int opened;
    private int live;
    private boolean lastConnectFailed;
    private int inFlight;
    private long tick;
    private long cpuAtMeasureStart = -1;
    private long cpuAtMeasureEnd = -1;
    private long loopThreadId;
    private boolean aborted;
    private long cpuAtLastSecond = -1;
    private long lastSecondAt;
    private String saturated;

    /** One arrival's current step. */
    private static final class Job {
        final Work work;
        RequestSpec spec;
        long intended;
        boolean firstStep = true;
        /** The run's measurements, or the warm-up's: chosen once per arrival by its intended time. */
        final Measurements sink;

        Job(Work work, RequestSpec spec, long intended, Measurements sink) {
            this.work = work;
            this.spec = spec;
            this.intended = intended;
            this.sink = sink;
        }
    }

    /** A connection and the one request it carries at a time. */
    private final class Conn extends ChannelInboundHandlerAdapter implements ResponseParser.Listener {
        Channel channel;
        Job job;
        long sent;
        ByteArrayOutputStream body;

        @Override
        public boolean headRequest() {
            return job != null && "HEAD".equals(job.spec.method());
        }

        @Override
        public boolean wantsBody() {
            return body != null;
        }

        @Override
        public void body(ByteBuf bytes) {
            body.writeBytes(ByteBufUtil.getBytes(bytes));
        }

        @Override
        public void response(int status, boolean keepAlive) {
            answered(this, status, keepAlive);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            lost(this, "io");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    Engine(LoadRun.Config config, Schedule schedule, Workload workload, Measurements measurements) {
        this.config = config;
        this.schedule = schedule;
        this.workload = workload;
        this.m = measurements;
        this.warmup = new Measurements(null, System.currentTimeMillis());
        this.sinks = new Measurements[] {m, warmup};
        this.encoder = new RequestEncoder(config.host(), config.port(), config.defaultPort(),
                workload instanceof Workload.Fixed f ? f.request() : null);
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        this.bootstrap = new Bootstrap().group(group).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.timeoutNanos() / 1_000_000));
    }

    /** Runs the whole test; returns when every measured request is answered, failed or timed out. */
    void run() throws InterruptedException {
        try {
            loop.submit(() -> {
                loopThreadId = Thread.currentThread().threadId();
                cpu();
            }).sync();
            connectAll();
            loop.execute(this::begin);
            finished.join();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    int opened() {
        return opened;
    }

    long sendsInWindow() {
        return m.sends;
    }

    int inFlightAtEnd() {
        return inFlight + waiting.size();
    }

    boolean aborted() {
        return aborted;
    }

    /** Fraction of one core the event loop used during the measured part. */
    double cpuFraction() {
        if (cpuAtMeasureStart < 0 || cpuAtMeasureEnd < 0 || measureTo <= measureFrom) {
            return 0;
        }
        return (double) (cpuAtMeasureEnd - cpuAtMeasureStart) / (measureTo - measureFrom);
    }

    private void connectAll() throws InterruptedException {
        List<ChannelFuture> futures = new ArrayList<>();
        for (int i = 0; i < config.connections(); i++) {
            Conn conn = new Conn();
            futures.add(connect(conn));
        }
        for (ChannelFuture f : futures) {
            f.await();
        }
    }

    private ChannelFuture connect(Conn conn) {
        ChannelFuture f = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new ResponseParser(conn), conn);
            }
        }).connect(config.host(), config.port());
        f.addListener(done -> {
            if (done.isSuccess()) {
                conn.channel = f.channel();
                opened++;
                live++;
                conns.add(conn);
                lastConnectFailed = false;
                if (start != 0) {
                    next(conn);
                } else {
                    idle.add(conn);
                }
            } else {
                lastConnectFailed = true;
                if (start != 0) {
                    failWaitingIfNoConnection();
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
        tick = measureFrom;
        if (schedule != null) {
            nextOffset = schedule.offsetNanos(0);
            pace();
        } else {
            for (Conn conn : new ArrayList<>(idle)) {
                idle.remove(conn);
                send(conn, newJob(System.nanoTime()));
            }
        }
        loop.schedule(this::sweep, SWEEP_NANOS, TimeUnit.NANOSECONDS);
        loop.schedule(this::second, Math.max(0, Math.min(start, tick) + SECOND - System.nanoTime()), TimeUnit.NANOSECONDS);
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
        cpuAtMeasureStart = cpu();
        cpuAtLastSecond = cpuAtMeasureStart;
        lastSecondAt = System.nanoTime();
    }

    private Job newJob(long intended) {
        Work work = workload.arrival(nextArrival++);
        return new Job(work, work.first(), intended, sink(intended));
    }

    /** Open model: dispatch every arrival that is due, then sleep until the next one. */
    private void pace() {
        long now = System.nanoTime();
        while (!arrivalsDone && !aborted && start + nextOffset <= now) {
            long intended = start + nextOffset;
            // lateness during the warm-up (a cold JIT) is not held against the run
            sink(intended).lag(now - intended);
            dispatch(newJob(intended));
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
        Conn conn = idle.pollFirst();
        if (conn != null) {
            send(conn, job);
        } else if (live == 0 && lastConnectFailed) {
            fail(job, 0, System.nanoTime(), "connect");
        } else {
            waiting.addLast(job);
        }
    }

    private void send(Conn conn, Job job) {
        conn.job = job;
        conn.body = job.work.needsBody() ? new ByteArrayOutputStream() : null;
        conn.sent = System.nanoTime();
        if (job.firstStep && conn.sent <= measureTo) {
            job.sink.sends++;
        }
        inFlight++;
        conn.channel.writeAndFlush(encoder.encode(job.spec, conn.channel.alloc()), conn.channel.voidPromise());
    }

    private void answered(Conn conn, int status, boolean keepAlive) {
        Job job = conn.job;
        if (job == null) {
            return; // answer to a request already counted as a timeout
        }
        long end = System.nanoTime();
        conn.job = null;
        inFlight--;
        RequestSpec following = job.work.next(new Response(status, conn.body == null ? null : conn.body.toByteArray()));
        boolean missing = following == Work.MISSING_CAPTURE;
        job.sink.record(job.intended, conn.sent, end, status, missing ? "capture" : null, job.spec.name(), job.firstStep);
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

    /** Gives a free connection its next request: a waiting one, a new closed-model arrival, or none. */
    private void next(Conn conn) {
        Job waitingJob = waiting.pollFirst();
        if (waitingJob != null) {
            send(conn, waitingJob);
        } else if (schedule == null && !stopped()) {
            long now = System.nanoTime();
            send(conn, newJob(now));
        } else {
            idle.addLast(conn);
            maybeFinish();
        }
    }

    private void lost(Conn conn, String kind) {
        if (conn.channel == null || !conns.remove(conn)) {
            return;
        }
        live--;
        idle.remove(conn);
        if (conn.job != null) {
            inFlight--;
            fail(conn.job, conn.sent, System.nanoTime(), kind);
            conn.job = null;
        }
        if (!finished.isDone() && !(stopped() && inFlight == 0 && waiting.isEmpty())) {
            connect(new Conn());
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

    private void failWaitingIfNoConnection() {
        if (live > 0) {
            return;
        }
        long now = System.nanoTime();
        Job job;
        while ((job = waiting.pollFirst()) != null) {
            fail(job, 0, now, "connect");
        }
        maybeFinish();
    }

    private void fail(Job job, long sent, long end, String kind) {
        job.sink.record(job.intended, sent, end, 0, kind, job.spec.name(), job.firstStep);
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
                live--;
                conn.channel.close();
                if (!stopped()) {
                    connect(new Conn());
                }
            }
        }
        while (!waiting.isEmpty() && now - waiting.peekFirst().intended > limit) {
            fail(waiting.pollFirst(), 0, now, "timeout");
        }
        maybeFinish();
        if (!finished.isDone()) {
            loop.schedule(this::sweep, SWEEP_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Once a second after warm-up: close the interval, report progress, check the abort rule. The last
     * interval is left open for {@link #maybeFinish}, so answers still arriving after the measured
     * part's end land in it rather than in no interval at all.
     */
    private void second() {
        long now = System.nanoTime();
        checkSaturation(now);
        boolean last = tick + SECOND >= measureTo;
        if (now >= tick + SECOND && !last) {
            Interval interval = closeTick(1);
            if (config.progress() != null) {
                config.progress().accept(new Progress(interval.startSeconds() + 1, interval, m.requests(), m.errorCount(),
                        m.corrected.getTotalCount() == 0 ? 0 : m.corrected.getValueAtPercentile(99) / 1000.0, inFlight, waiting.size()));
            }
            if (config.abort() != null && config.abort().test(m.intervals())) {
                aborted = true;
                measureTo = Math.min(measureTo, now);
            }
        } else if (now < measureFrom) {
            // the same bookkeeping on the warm-up's measurements, so that none of it runs for the first time,
            // slowly, in the measured part
            warmup.closeInterval(0, 1, Double.NaN);
            if (config.progress() != null) {
                config.progress().accept(new Progress((now - measureFrom) / (double) SECOND, null, 0, 0, 0, inFlight, waiting.size()));
            }
        }
        if (now >= measureTo && cpuAtMeasureEnd < 0) {
            cpuAtMeasureEnd = cpu();
        }
        maybeFinish();
        if (!finished.isDone()) {
            long nextTick = now < measureFrom ? Math.min(measureFrom, now + SECOND)
                    : tick + SECOND < measureTo ? tick + SECOND
                    : now < measureTo ? measureTo : now + SECOND; // wake at the end to read the CPU clock, then idle
            loop.schedule(this::second, Math.max(0, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    /**
     * A saturated event loop reads answers late, so its connections look busy and arrivals queue for
     * them: its own slowness would pass for the server's. Noted when, in a measured second, the loop
     * used {@value #SATURATED} of a core or more while requests were queued.
     */
    private void checkSaturation(long now) {
        long cpu = cpu();
        if (cpuAtLastSecond >= 0 && now > measureFrom && now - lastSecondAt > 0 && saturated == null && schedule != null) {
            double share = (double) (cpu - cpuAtLastSecond) / (now - lastSecondAt);
            if (share >= SATURATED && !waiting.isEmpty()) {
                saturated = String.format("at %.0f s the generator's event loop used %.0f%% of a core while %d requests waited"
                        + " for a connection: the wait may be its own, not the server's (use a lower --rate, a longer --warmup"
                        + " for the JIT, or run the generator on a core of its own)",
                        (now - measureFrom) / (double) SECOND, 100 * share, waiting.size());
            }
        }
        cpuAtLastSecond = cpu;
        lastSecondAt = now;
    }

    /** Why the generator itself may have delayed requests, or null. */
    String saturation() {
        return saturated;
    }

    /** Closes the interval starting at {@code tick}, {@code seconds} long (1 but for the last), and moves on. */
    private Interval closeTick(double seconds) {
        double from = (tick - measureFrom) / (double) SECOND;
        double planFrom = (tick - start) / (double) SECOND;
        double target = schedule == null ? Double.NaN : schedule.expectedArrivals(planFrom, planFrom + seconds) / seconds;
        tick += SECOND;
        return m.closeInterval(from, seconds, target);
    }

    private boolean stopped() {
        return aborted || (schedule == null ? System.nanoTime() >= measureTo : arrivalsDone);
    }

    private void maybeFinish() {
        if (finished.isDone() || start == 0 || !stopped() || inFlight > 0 || !waiting.isEmpty()) {
            return;
        }
        if (schedule != null && !arrivalsDone && !aborted) {
            return;
        }
        long now = System.nanoTime();
        if (cpuAtMeasureEnd < 0) {
            cpuAtMeasureEnd = cpu();
        }
        // close the last, partial interval(s) up to the end of the measured part
        while (tick < measureTo && now >= measureFrom) {
            closeTick(Math.min(1, (measureTo - tick) / (double) SECOND));
        }
        for (Conn conn : conns) {
            conn.channel.close();
        }
        finished.complete(null);
    }

    private long cpu() {
        long t = threads.getThreadCpuTime(loopThreadId);
        return t < 0 ? 0 : t;
    }

    long startNanos() {
        return start;
    }

    long measuredNanos() {
        return measureTo - measureFrom;
    }
}
