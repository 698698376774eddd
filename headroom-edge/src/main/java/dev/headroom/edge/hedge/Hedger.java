package dev.headroom.edge.hedge;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Hedged requests (Dean and Barroso, "The Tail at Scale"): when an idempotent call has not answered after a high
 * percentile of recent latencies, a second try goes out, the first answer wins and the other is cancelled. A
 * budget keeps the extra load to a share of calls; the delay adapts to what the service does now.
 * <pre>{@code
 * Hedger hedger = Hedger.builder().percentile(0.97).maxExtraRatio(0.05).build();
 * CompletableFuture<Answer> a = hedger.call(() -> client.get(url), f -> f.cancel(true), scheduler);
 * }</pre>
 * A caller with its own scheduling (the edge does it on its event loops) uses the parts: {@link #requestStarted()},
 * {@link #delayNanos()}, {@link #tryHedge()}, {@link #record(long)}, {@link #hedgeWon()}.
 *
 * <p>The delay is the percentile of the latencies recorded over the last one to two {@code window}s, clamped to
 * [{@code minDelay}, {@code maxDelay}]; {@code maxDelay} until {@code minSamples} are recorded. Read at most once
 * per {@value #DELAY_REFRESH_MILLIS} ms (a percentile costs a few hundred reads), between them a cached value.
 * Thread-safe and lock-free.
 */
public final class Hedger {
    public static final double DEFAULT_PERCENTILE = 0.97;
    public static final double DEFAULT_MAX_EXTRA_RATIO = 0.05;
    public static final Duration DEFAULT_MIN_DELAY = Duration.ofMillis(1);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    public static final int DEFAULT_MIN_SAMPLES = 100;
    static final long DELAY_REFRESH_MILLIS = 50;

    private final double percentile;
    private final double maxExtraRatio;
    private final long minDelayNanos;
    private final long maxDelayNanos;
    private final int minSamples;
    private final LatencyWindow latencies;
    private final HedgeBudget budget;
    private final AtomicLong delay;
    private final AtomicLong delayReadAt;
    private final LongAdder requests = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder won = new LongAdder();
    private final LongAdder denied = new LongAdder();

    private Hedger(Builder b) {
        this.percentile = b.percentile;
        this.maxExtraRatio = b.maxExtraRatio;
        this.minDelayNanos = b.minDelay.toNanos();
        this.maxDelayNanos = b.maxDelay.toNanos();
        this.minSamples = b.minSamples;
        long now = System.nanoTime();
        this.latencies = new LatencyWindow(b.window.toNanos(), now);
        this.budget = new HedgeBudget(b.maxExtraRatio, b.burst);
        this.delay = new AtomicLong(maxDelayNanos);
        this.delayReadAt = new AtomicLong(now);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A call starts: it adds its share to the hedge budget. */
    public void requestStarted() {
        requests.increment();
        budget.deposit();
    }

    /** How long to wait for an answer before hedging, now. */
    public long delayNanos() {
        long now = System.nanoTime();
        long at = delayReadAt.get();
        if (now - at >= DELAY_REFRESH_MILLIS * 1_000_000 && delayReadAt.compareAndSet(at, now)) {
            long p = latencies.percentileNanos(percentile, minSamples, now);
            delay.set(p < 0 ? maxDelayNanos : Math.clamp(p, minDelayNanos, maxDelayNanos));
        }
        return delay.get();
    }

    /** A try's latency: to its answer, or (for a try cancelled because the other won) to its cancelling. */
    public void record(long latencyNanos) {
        latencies.record(latencyNanos, System.nanoTime());
    }

    /** Whether the budget allows a hedge now; a true answer counts it sent. */
    public boolean tryHedge() {
        if (budget.tryTake()) {
            sent.increment();
            return true;
        }
        denied.increment();
        return false;
    }

    /** A hedge answered first. */
    public void hedgeWon() {
        won.increment();
    }

    /**
     * Runs {@code attempt}, and once more if the first has not completed after {@link #delayNanos()} and the budget
     * allows; the result is the first to complete normally (or the last failure, if both fail). The other is handed
     * to {@code cancel} (e.g. {@code f -> f.cancel(true)}, or closing its connection). Only for idempotent calls.
     */
    public <T> CompletableFuture<T> call(Supplier<? extends CompletableFuture<T>> attempt, Consumer<? super CompletableFuture<T>> cancel,
                                         ScheduledExecutorService scheduler) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(cancel, "cancel");
        requestStarted();
        CompletableFuture<T> result = new CompletableFuture<>();
        long start = System.nanoTime();
        CompletableFuture<T> first = attempt.get();
        AtomicInteger failures = new AtomicInteger();
        @SuppressWarnings("unchecked")
        CompletableFuture<T>[] hedge = new CompletableFuture[1];
        // Whether the first has settled and whether a hedge was sent are decided together, under the lock: else the
        // first could settle alone while the hedge is being sent (which then runs on, uncancelled, or is not waited for).
        boolean[] firstSettled = new boolean[1];
        ScheduledFuture<?> timer = scheduler.schedule(() -> {
            long hedgeStart = System.nanoTime();
            CompletableFuture<T> second;
            synchronized (hedge) {
                if (firstSettled[0] || result.isDone() || !tryHedge()) {
                    return;
                }
                second = attempt.get(); // only starts the try
                hedge[0] = second;
            }
            second.whenComplete((value, error) -> settle(result, second, first, value, error, hedgeStart, true, failures, 2, cancel));
            if (result.isDone() && !second.isDone()) {
                cancel.accept(second); // the first won while the hedge was being sent
            }
        }, delayNanos(), TimeUnit.NANOSECONDS);
        first.whenComplete((value, error) -> {
            CompletableFuture<T> second;
            synchronized (hedge) {
                firstSettled[0] = true;
                second = hedge[0];
            }
            if (second == null) {
                timer.cancel(false);
            }
            settle(result, first, second, value, error, start, false, failures, second == null ? 1 : 2, cancel);
        });
        result.whenComplete((value, error) -> {
            if (error instanceof CancellationException) {
                cancel.accept(first); // the caller gave up
                CompletableFuture<T> second;
                synchronized (hedge) {
                    second = hedge[0];
                }
                if (second != null) {
                    cancel.accept(second);
                }
            }
        });
        return result;
    }

    private <T> void settle(CompletableFuture<T> result, CompletableFuture<T> self, CompletableFuture<T> other, T value, Throwable error,
                            long start, boolean isHedge, AtomicInteger failures, int tries, Consumer<? super CompletableFuture<T>> cancel) {
        if (error instanceof CancellationException && result.isDone()) {
            return; // the loser, cancelled
        }
        record(System.nanoTime() - start);
        if (error == null) {
            if (result.complete(value)) {
                if (isHedge) {
                    hedgeWon();
                }
                if (other != null && !other.isDone()) {
                    cancel.accept(other);
                }
            }
        } else if (failures.incrementAndGet() >= tries) {
            result.completeExceptionally(error);
        }
    }

    public long requests() {
        return requests.sum();
    }

    public long hedgesSent() {
        return sent.sum();
    }

    public long hedgesWon() {
        return won.sum();
    }

    /** Hedges the budget refused. */
    public long hedgesDenied() {
        return denied.sum();
    }

    public double percentile() {
        return percentile;
    }

    public double maxExtraRatio() {
        return maxExtraRatio;
    }

    /** Settings, each checked when set. */
    public static final class Builder {
        private double percentile = DEFAULT_PERCENTILE;
        private double maxExtraRatio = DEFAULT_MAX_EXTRA_RATIO;
        private Duration minDelay = DEFAULT_MIN_DELAY;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private Duration window = DEFAULT_WINDOW;
        private int minSamples = DEFAULT_MIN_SAMPLES;
        private int burst = 10;

        private Builder() {
        }

        /** The latency percentile to wait for before hedging, above 0.5 and below 1. Default {@value #DEFAULT_PERCENTILE}. */
        public Builder percentile(double quantile) {
            if (!(quantile >= 0.5 && quantile < 1)) {
                throw new IllegalArgumentException("the hedging percentile must be from 0.5 (p50) to below 1 (e.g. 0.97 for p97), was " + quantile);
            }
            this.percentile = quantile;
            return this;
        }

        /** Hedges per call, at most, from 0 to 1. Default {@value #DEFAULT_MAX_EXTRA_RATIO}. */
        public Builder maxExtraRatio(double ratio) {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("the hedging max extra ratio must be from 0 to 1 (0 % to 100 % more tries), was " + ratio);
            }
            this.maxExtraRatio = ratio;
            return this;
        }

        /** The shortest wait before a hedge: below it, a hedge costs more than it saves. Default 1 ms. */
        public Builder minDelay(Duration floor) {
            if (floor == null || floor.isNegative()) {
                throw new IllegalArgumentException("the hedging min delay must be zero or positive, was " + floor);
            }
            this.minDelay = floor;
            return this;
        }

        /** The longest wait before a hedge, and the wait until enough latencies are known. Default 1 s. */
        public Builder maxDelay(Duration cap) {
            if (cap == null || cap.isNegative() || cap.isZero()) {
                throw new IllegalArgumentException("the hedging max delay must be positive, was " + cap);
            }
            this.maxDelay = cap;
            return this;
        }

        /** How long a latency counts: between one and two of these. Default 10 s. */
        public Builder window(Duration window) {
            if (window == null || window.toMillis() < 1) {
                throw new IllegalArgumentException("the hedging window must be at least 1 ms, was " + window);
            }
            this.window = window;
            return this;
        }

        /** Latencies needed before the percentile is trusted. Default {@value #DEFAULT_MIN_SAMPLES}. */
        public Builder minSamples(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("the hedging min samples must be at least 1, was " + samples);
            }
            this.minSamples = samples;
            return this;
        }

        public Hedger build() {
            if (minDelay.compareTo(maxDelay) > 0) {
                throw new IllegalArgumentException("the hedging min delay " + minDelay.toMillis() + " ms must not exceed the max delay "
                        + maxDelay.toMillis() + " ms");
            }
            return new Hedger(this);
        }
    }
}
