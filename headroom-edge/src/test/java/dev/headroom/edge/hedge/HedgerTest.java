package dev.headroom.edge.hedge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generic hedged call: a second try after the delay, the first answer wins, the loser goes to the cancel hook; the budget; the percentile. */
class HedgerTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** Hedges after a fixed 20 ms, budget 100 % so that it never denies. */
    private static Hedger fixedDelay(double maxExtra) {
        return Hedger.builder().minDelay(Duration.ofMillis(20)).maxDelay(Duration.ofMillis(20)).maxExtraRatio(maxExtra).build();
    }

    @Test
    void aSlowFirstTryIsHedgedTheHedgeWinsAndTheFirstIsCancelled() throws Exception {
        Hedger hedger = fixedDelay(1);
        List<CompletableFuture<String>> tries = new ArrayList<>();
        List<CompletableFuture<String>> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<String> result = hedger.call(() -> {
            CompletableFuture<String> f = new CompletableFuture<>();
            synchronized (tries) {
                tries.add(f);
                if (tries.size() == 2) {
                    f.complete("hedge"); // the second answers at once; the first never would
                }
            }
            return f;
        }, f -> {
            cancelled.add(f);
            f.cancel(true);
        }, scheduler);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("hedge");
        assertThat(tries).hasSize(2);
        // the winner completes the result, then cancels the loser, on its own thread: wait for that
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cancelled.isEmpty() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(cancelled).containsExactly(tries.get(0));
        assertThat(hedger.hedgesSent()).isEqualTo(1);
        assertThat(hedger.hedgesWon()).isEqualTo(1);
    }

    @Test
    void aFastAnswerSendsNoHedge() throws Exception {
        Hedger hedger = fixedDelay(1);
        int[] calls = new int[1];
        CompletableFuture<String> result = hedger.call(() -> {
            calls[0]++;
            return CompletableFuture.completedFuture("first");
        }, f -> f.cancel(true), scheduler);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        Thread.sleep(60); // past the hedging delay: the timer, cancelled, must not send
        assertThat(calls[0]).isEqualTo(1);
        assertThat(hedger.hedgesSent()).isZero();
    }

    @Test
    void theBudgetCapsHedgesToItsShareOfCalls() throws Exception {
        Hedger hedger = fixedDelay(0.25);
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // every first try is slow (answers after 100 ms), every hedge fast
            int[] n = new int[1];
            results.add(hedger.call(() -> n[0]++ == 0 ? CompletableFuture.supplyAsync(() -> "slow",
                    CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)) : CompletableFuture.completedFuture("hedge"), f -> f.cancel(true), scheduler));
        }
        for (CompletableFuture<String> r : results) {
            r.get(5, TimeUnit.SECONDS);
        }
        assertThat(hedger.hedgesSent()).as("25 % of 20 calls").isEqualTo(5);
        assertThat(hedger.hedgesDenied()).isEqualTo(15);
    }

    @Test
    void theDelayIsTheRecentPercentileWithinItsBounds() {
        Hedger hedger = Hedger.builder().percentile(0.97).minDelay(Duration.ofMillis(1)).maxDelay(Duration.ofMillis(500)).minSamples(100).build();
        assertThat(hedger.delayNanos()).as("too few samples: the cap").isEqualTo(500_000_000L);
        LatencyWindow w = new LatencyWindow(1_000_000_000L, 0);
        for (int i = 0; i < 1000; i++) {
            w.record(i < 960 ? 2_000_000 : 100_000_000, 10); // 96 % at 2 ms, 4 % at 100 ms
        }
        assertThat(w.percentileNanos(0.95, 100, 20)).as("p95 in the 2 ms bucket").isBetween(2_000_000L, 2_400_000L);
        assertThat(w.percentileNanos(0.97, 100, 20)).as("p97 in the 100 ms bucket").isBetween(100_000_000L, 120_000_000L);
        assertThat(w.percentileNanos(0.97, 100, 1_500_000_000L)).as("one window later: still read").isPositive();
        assertThat(w.percentileNanos(0.97, 100, 2_500_000_000L)).as("two windows later: forgotten").isEqualTo(-1);
    }

    @Test
    void bucketsCoverEveryLatencyWithinAFifth() {
        for (long nanos = 1_000; nanos < 60_000_000_000L; nanos = nanos * 9 / 8 + 1) {
            long upper = LatencyWindow.upperBound(LatencyWindow.bucket(nanos));
            assertThat(upper).as("%d ns", nanos).isGreaterThan(nanos).isLessThanOrEqualTo(nanos * 13 / 10 + 2_000);
        }
    }

    @Test
    void badSettingsSayWhatToChange() {
        assertThatThrownBy(() -> Hedger.builder().percentile(1.0))
                .hasMessage("the hedging percentile must be from 0.5 (p50) to below 1 (e.g. 0.97 for p97), was 1.0");
        assertThatThrownBy(() -> Hedger.builder().minDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build())
                .hasMessage("the hedging min delay 2000 ms must not exceed the max delay 1000 ms");
    }
}
