package dev.headroom.lab.sweep;

import dev.headroom.lab.usl.UslFit;
import dev.headroom.lab.usl.UslFitter;
import dev.headroom.lab.usl.UslPoint;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * A closed-model concurrency sweep: 1, 2, 4, … connections, each a {@link LoadRun} of its own with a warm-up,
 * until throughput falls for two steps in a row, a point is invalid, the next level would pass the process's
 * descriptor limit, or the last level is done (levels given by hand all run, falls or not). Then the Universal Scalability Law is fitted to
 * the valid points. Where the target exposes an in-flight gauge, each point also carries the server's own count
 * for the Little's-law check ({@link SweepPoint}).
 */
public final class ThroughputSweep {
    /** Descriptors kept free beside the connections: the JVM's jars, sockets of its own, the gauge's client. */
    static final int DESCRIPTOR_RESERVE = 200;
    /** A point where more than this share of requests failed is invalid: it measured failures, not throughput. */
    static final double MAX_ERROR_SHARE = 0.01;
    public static final int DEFAULT_MAX_CONCURRENCY = 1024;
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);
    public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);

    private ThroughputSweep() {
    }

    public static Builder of(URI base, Workload workload) {
        return new Builder(base, workload);
    }

    /** 1, 2, 4, … up to {@code max}, with {@code max} itself last when it is no power of two. */
    static List<Integer> doubling(int max) {
        List<Integer> levels = new ArrayList<>();
        for (long n = 1; n < max; n *= 2) {
            levels.add((int) n);
        }
        levels.add(max);
        return levels;
    }

    /** True when each of the last two points has less throughput than the one before it. */
    static boolean fellTwice(List<SweepPoint> points) {
        int k = points.size();
        return k >= 3 && points.get(k - 1).throughputRps() < points.get(k - 2).throughputRps()
                && points.get(k - 2).throughputRps() < points.get(k - 3).throughputRps();
    }

    public static final class Builder {
        private final URI base;
        private final Workload workload;
        private List<Integer> levels = doubling(DEFAULT_MAX_CONCURRENCY);
        private boolean stopOnFalls = true;
        private Duration duration = DEFAULT_DURATION;
        private Duration warmup = DEFAULT_WARMUP;
        private Duration timeout = LoadRun.DEFAULT_TIMEOUT;
        private InflightGauge gauge;
        private Consumer<String> progress = line -> { };
        private OptionalLong descriptorLimit = DescriptorLimit.soft();

        private Builder(URI base, Workload workload) {
            if (!"http".equals(base.getScheme()) || base.getHost() == null) {
                throw new IllegalArgumentException("the target must be an http:// URL with a host, was '" + base + "'");
            }
            this.base = base;
            this.workload = Objects.requireNonNull(workload, "workload");
        }

        /**
         * The levels to run, strictly increasing, each 1 to 100,000. All of them run, falls or not (only an invalid
         * level or the descriptor limit ends the sweep early): levels picked by hand are there to be measured.
         */
        public Builder levels(List<Integer> levels) {
            checkLevels(levels);
            this.levels = List.copyOf(levels);
            this.stopOnFalls = false;
            return this;
        }

        private static void checkLevels(List<Integer> levels) {
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("give at least one concurrency level");
            }
            for (int i = 0; i < levels.size(); i++) {
                int n = levels.get(i);
                if (n < 1 || n > 100_000) {
                    throw new IllegalArgumentException("concurrency levels must be between 1 and 100000, was " + n);
                }
                if (i > 0 && n <= levels.get(i - 1)) {
                    throw new IllegalArgumentException("concurrency levels must increase, was " + levels.get(i - 1) + " then " + n);
                }
            }
        }

        /** Doubling levels 1, 2, 4, … up to {@code max}. Default {@value #DEFAULT_MAX_CONCURRENCY}. */
        public Builder maxConcurrency(int max) {
            if (max < 1 || max > 100_000) {
                throw new IllegalArgumentException("the maximum concurrency must be between 1 and 100000, was " + max);
            }
            this.levels = doubling(max);
            this.stopOnFalls = true;
            return this;
        }

        /** Measured time per level. Default 5 s. */
        public Builder duration(Duration d) {
            this.duration = positive("duration", d);
            return this;
        }

        /** Unmeasured time per level, after its connections are open. Default 2 s. */
        public Builder warmup(Duration d) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("warmup must not be negative, was " + d);
            }
            this.warmup = d;
            return this;
        }

        public Builder timeout(Duration d) {
            this.timeout = positive("timeout", d);
            return this;
        }

        /** Read the server's in-flight gauge {@code metric} from the Prometheus text at {@code metricsUrl}. */
        public Builder inflightGauge(URI metricsUrl, String metric) {
            this.gauge = new InflightGauge(Objects.requireNonNull(metricsUrl, "metricsUrl"), Objects.requireNonNull(metric, "metric"));
            return this;
        }

        /** One line per level, and a line on the gauge before the first. */
        public Builder progress(Consumer<String> progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** For tests: the descriptor limit to plan against instead of the process's own. */
        Builder descriptorLimit(long limit) {
            this.descriptorLimit = OptionalLong.of(limit);
            return this;
        }

        public SweepResult run() throws IOException, InterruptedException {
            String gaugeNote = checkGauge();
            List<SweepPoint> points = new ArrayList<>();
            String stopped = "the last level (" + levels.get(levels.size() - 1) + ") is done";
            for (int n : levels) {
                if (descriptorLimit.isPresent() && n + DESCRIPTOR_RESERVE > descriptorLimit.getAsLong()) {
                    stopped = String.format("%,d connections need more descriptors than the limit allows (ulimit -n: %,d);"
                            + " raise it to sweep further", n, descriptorLimit.getAsLong());
                    break;
                }
                SweepPoint point = measure(n, points.isEmpty());
                points.add(point);
                progress.accept(line(point));
                if (!point.valid()) {
                    stopped = "the point at " + n + " is invalid: " + String.join("; ", point.invalidReasons());
                    break;
                }
                if (stopOnFalls && fellTwice(points)) {
                    stopped = "throughput fell for two steps";
                    break;
                }
            }
            SweepResult partial = new SweepResult(base.toString(), List.copyOf(points), stopped, null, gaugeNote);
            List<UslPoint> fitted = partial.validPoints();
            UslFit fit = fitted.stream().mapToDouble(UslPoint::concurrency).distinct().count() >= 3 ? UslFitter.fit(fitted) : null;
            return new SweepResult(partial.target(), partial.points(), stopped, fit, gaugeNote);
        }

        private String checkGauge() throws InterruptedException {
            if (gauge == null) {
                return "no in-flight gauge asked for";
            }
            try {
                gauge.read();
                String note = "server in flight: " + gauge.metric() + " at " + gauge.url() + ", " + gauge.method();
                progress.accept(note);
                return note;
            } catch (IOException e) {
                String note = "server in flight: not read (" + gauge.url() + ": " + e.getMessage() + "); no Little's-law check";
                progress.accept(note);
                gauge = null;
                return note;
            }
        }

        private SweepPoint measure(int n, boolean first) throws IOException, InterruptedException {
            InflightGauge.Sampling sampling = gauge == null ? null : gauge.start();
            RunResult r = LoadRun.closed(base, n, duration, workload).warmup(warmup).timeout(timeout).rehearse(first).run();
            // The run returns as its measured part ends and its connections close; a server then ends (and counts)
            // every request it still held at once, so the readings of that moment are left out.
            long end = System.nanoTime();
            long from = end - (long) (r.durationSeconds() * 1e9);
            Double inflight = sampling == null ? null : sampling.meanBetween(from, end - 2 * InflightGauge.EVERY.toNanos());
            List<String> invalid = new ArrayList<>(r.invalidReasons());
            if (r.requests() > 0 && r.errorCount() > MAX_ERROR_SHARE * r.requests()) {
                invalid.add(String.format("%,d of %,d requests failed %s", r.errorCount(), r.requests(), r.errors()));
            }
            if (r.requests() == 0) {
                invalid.add("no request was answered");
            }
            Histogram h = r.corrected();
            double throughput = r.durationSeconds() > 0 ? (r.requests() - r.errorCount()) / r.durationSeconds() : 0;
            return new SweepPoint(n, throughput, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                    h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e3, h.getTotalCount() == 0 ? 0 : h.getMean() / 1e3,
                    r.requests(), r.errorCount(), inflight, List.copyOf(invalid));
        }

        private static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e3;
        }

        private static String line(SweepPoint p) {
            String server = p.serverInflight() == null ? ""
                    : String.format(", server in flight %.1f%s", p.serverInflight(),
                            p.littleFlagged() ? String.format(" (off N by %+.0f%%: %.2f ms outside the server)", -100 * p.littleGap(), p.outsideServerMs()) : "");
            return String.format("concurrency %,6d: %,10.0f req/s, p50 %.2f ms, p99 %.2f ms%s%s", p.concurrency(), p.throughputRps(),
                    p.p50Ms(), p.p99Ms(), server, p.valid() ? "" : " INVALID: " + String.join("; ", p.invalidReasons()));
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
