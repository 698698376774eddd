package dev.headroom.lab.run;

import dev.headroom.lab.schedule.Schedule;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A load test against one HTTP/1.1 origin (or several, {@link Builder#targets}), in the open model (a
 * rate plan, latency measured from each request's intended send time) or the closed model (N connections,
 * each sending its next request as soon as the last is answered). Build with {@link #open} or {@link #closed}, then {@link Builder#run()}.
 *
 * <p>Accuracy: one event loop drives everything; it wakes at most every 0.1 ms to send the arrivals
 * that are due, so at high rates they go out in small batches, each late by up to ~0.1 ms. That lateness is
 * recorded (schedule lag) and included in the corrected latency; a run whose p99 lag exceeds
 * {@link #MAX_SCHEDULE_LAG_P99_MS} is marked invalid.
 *
 * <p>Before the run the generator warms itself up for about a second against a loopback server of its own,
 * sending nothing to the target and counting nothing of it (see {@code Rehearsal}); then it opens the
 * connections, and then the plan's time 0 begins.
 */
public final class LoadRun {
    /** A valid open-model run sends at least this share of the planned requests within the measured part. */
    public static final double MIN_SEND_RATIO = 0.95;
    /** A valid open-model run keeps the generator's event loop below this share of one core. */
    public static final double MAX_GENERATOR_CPU = 0.95;
    /** A valid open-model run dispatches 99 % of its arrivals within this many milliseconds of plan. */
    public static final double MAX_SCHEDULE_LAG_P99_MS = 5.0;
    public static final int DEFAULT_CONNECTIONS = 64;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private LoadRun() {
    }

    /** An open-model run: {@code schedule} decides when each request is due. */
    public static Builder open(URI base, Schedule schedule, Workload workload) {
        return new Builder(base, Objects.requireNonNull(schedule, "schedule"), workload, 0);
    }

    /** A closed-model run: {@code concurrency} connections, each with one request in flight. */
    public static Builder closed(URI base, int concurrency, Duration duration, Workload workload) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        Builder b = new Builder(base, null, workload, concurrency);
        b.connections = concurrency;
        b.durationNanos = positive("duration", duration).toNanos();
        return b;
    }

    /** {@code connections} per target. */
    record Config(List<URI> targets, int connections, long warmupNanos, long durationNanos,
                  long timeoutNanos, Consumer<Progress> progress, Predicate<List<Interval>> abort) {
    }

    public static final class Builder {
        private List<URI> targets;
        private final Schedule schedule;
        private final Workload workload;
        private final int concurrency;
        private int connections = DEFAULT_CONNECTIONS;
        private long warmupNanos;
        private long durationNanos;
        private long timeoutNanos = DEFAULT_TIMEOUT.toNanos();
        private Consumer<Progress> progress;
        private Predicate<List<Interval>> abort;
        private Path hdrLog;
        private boolean rehearse = true;

        private Builder(URI base, Schedule schedule, Workload workload, int concurrency) {
            this.targets = List.of(checkTarget(Objects.requireNonNull(base, "base")));
            this.schedule = schedule;
            this.workload = Objects.requireNonNull(workload, "workload");
            this.concurrency = concurrency;
        }

        private static URI checkTarget(URI target) {
            if (!"http".equals(target.getScheme()) || target.getHost() == null) {
                throw new IllegalArgumentException("the target must be an http:// URL with a host, was '" + target + "'");
            }
            return target;
        }

        /**
         * Spreads the run over several origins instead of the one given to {@link #open} or {@link #closed},
         * which it replaces (paths come from the requests, as with one target). Each target gets the
         * {@link #connections} (in the closed model, the concurrency) of its own. Open-model arrivals go to
         * the targets in turn, so each gets the same share of the plan; a closed-model connection sends to its
         * own target, so a faster target gets more. Every later step of a journey goes to the target where
         * the journey started, on a connection of that target. One schedule, one set of measurements and one
         * result cover them all; {@link RunResult#target} names them joined by commas.
         */
        public Builder targets(List<URI> targets) {
            if (targets == null || targets.isEmpty()) {
                throw new IllegalArgumentException("targets must name at least one origin, was " + targets);
            }
            for (URI target : targets) {
                checkTarget(Objects.requireNonNull(target, "targets must not contain null"));
                if (targets.indexOf(target) != targets.lastIndexOf(target)) {
                    throw new IllegalArgumentException("targets must be distinct, was '" + target + "' twice");
                }
            }
            this.targets = List.copyOf(targets);
            return this;
        }

        /** Connections to keep open (open model), per target. Default {@value #DEFAULT_CONNECTIONS}. */
        public Builder connections(int n) {
            if (n < 1 || n > 100_000) {
                throw new IllegalArgumentException("connections must be between 1 and 100000, was " + n);
            }
            if (schedule == null) {
                throw new IllegalArgumentException("connections are set by the concurrency in the closed model");
            }
            this.connections = n;
            return this;
        }

        /**
         * The first part of the run that is not measured. In the open model the schedule already
         * includes it (its first {@code warmup} seconds); in the closed model it is added before the duration.
         */
        public Builder warmup(Duration warmup) {
            if (warmup.isNegative()) {
                throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
            }
            this.warmupNanos = warmup.toNanos();
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeoutNanos = positive("timeout", timeout).toNanos();
            return this;
        }

        /**
         * Called once a second with the run's progress, on the thread that called {@link #run()} (never on the
         * generator's event loop, so a slow consumer delays only later progress).
         */
        public Builder progress(Consumer<Progress> progress) {
            this.progress = progress;
            return this;
        }

        /**
         * Checked after each second, on the generator's event loop (keep it quick); true stops the run early
         * (e.g. a windowed SLO already failed).
         */
        public Builder abortWhen(Predicate<List<Interval>> abort) {
            this.abort = abort;
            return this;
        }

        /**
         * Whether the generator warms itself up before the run (the default). A program that runs many times in one
         * JVM may rehearse only its first run of each model: the compiled code stays, only the first run is cold.
         */
        public Builder rehearse(boolean on) {
            this.rehearse = on;
            return this;
        }

        /** Also write every interval's corrected histogram to an HdrHistogram interval log. */
        public Builder hdrLog(Path file) {
            this.hdrLog = file;
            return this;
        }

        public RunResult run() throws IOException, InterruptedException {
            if (schedule != null && warmupNanos > schedule.durationSeconds() * 1e9) {
                throw new IllegalArgumentException("warmup must be shorter than the plan (" + schedule.durationSeconds() + " s)");
            }
            Config config = new Config(targets, connections, warmupNanos, durationNanos, timeoutNanos, progress, abort);
            Connector connector = new Connector(timeoutNanos);
            try (PrintStream log = hdrLog == null ? null : new PrintStream(Files.newOutputStream(hdrLog), false, "UTF-8")) {
                if (rehearse) {
                    Rehearsal.run(connector, connections, schedule != null, workload);
                }
                Measurements m = new Measurements(log, System.currentTimeMillis());
                Engine engine = new Engine(config, schedule, workload, m, connector);
                engine.run();
                return result(engine, m);
            } finally {
                connector.shutdown();
            }
        }

        private RunResult result(Engine engine, Measurements m) {
            double measuredSeconds = engine.measuredNanos() / 1e9;
            double warmupSeconds = warmupNanos / 1e9;
            double targetRate = schedule == null ? Double.NaN
                    : schedule.expectedArrivals(warmupSeconds, warmupSeconds + measuredSeconds) / measuredSeconds;
            double achieved = measuredSeconds > 0 ? m.arrivals() / measuredSeconds : 0;
            List<String> invalid = new ArrayList<>();
            double lagP99 = m.scheduleLag.getTotalCount() == 0 ? 0 : m.scheduleLag.getValueAtPercentile(99) / 1000.0;
            SelfCheck self = engine.selfCheck();
            double cpu = self.cpuFraction(engine.measuredNanos());
            for (int i = 0; i < targets.size(); i++) {
                if (engine.opened(i) < connections) {
                    invalid.add(String.format("only %d of %d connections could be opened to %s", engine.opened(i), connections, targets.get(i)));
                }
            }
            int allConnections = connections * targets.size();
            if (schedule != null) {
                double planned = targetRate * measuredSeconds;
                double sent = engine.sendsInWindow();
                if (planned > 0 && sent < MIN_SEND_RATIO * planned && !engine.aborted()) {
                    invalid.add(String.format("sent %.0f of %.0f planned requests (%.1f%%, below %.0f%%): all %d connections were busy"
                                    + " or failing; the corrected latency still counts the wait, but the plan was not delivered"
                                    + " (use more --connections, or a lower --rate)",
                            sent, planned, 100 * sent / planned, 100 * MIN_SEND_RATIO, allConnections));
                }
                invalid.addAll(self.invalidReasons(cpu, lagP99));
            }
            String target = targets.stream().map(URI::toString).collect(Collectors.joining(","));
            return new RunResult(target, schedule == null ? "closed" : "open", targetRate,
                    allConnections, measuredSeconds, warmupSeconds, m.requests(), m.arrivals(), achieved, m.errors(), m.statuses(),
                    m.responseBytes(), m.corrected, m.uncorrected, m.dispatchDelay, m.intervals(), List.copyOf(invalid),
                    new RunResult.GeneratorStats(cpu, lagP99,
                            m.scheduleLag.getTotalCount() == 0 ? 0 : m.scheduleLag.getMaxValue() / 1000.0,
                            engine.opened(), engine.inFlightAtEnd()), m.byName());
        }
    }

    private static Duration positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
