package dev.headroom.edge.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netflix.concurrency.limits.limit.SettableLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private AdmissionController.Builder controller() {
        return AdmissionController.builder().clock(now::get);
    }

    /** As many requests as the limit at once, each taking {@code rtt}: the load that lets the limit move (not app-limited). */
    private void fullRounds(AdmissionController c, int rounds, Duration rtt) {
        for (int r = 0; r < rounds; r++) {
            List<Permit> permits = new ArrayList<>();
            for (Permit p; (p = c.tryAcquire(Priority.CRITICAL)) != null; ) {
                permits.add(p);
            }
            now.addAndGet(rtt.toNanos());
            permits.forEach(Permit::complete);
        }
    }

    @Test
    void theLimitFallsWhenLatencyRisesAndGrowsBackWhenItFalls() {
        AdmissionController c = controller().initialLimit(20).minLimit(4).maxLimit(200).build();
        fullRounds(c, 30, Duration.ofMillis(1));
        int steady = c.limit();
        assertThat(steady).as("at a steady latency the limit probes upward").isGreaterThan(20);

        fullRounds(c, 3, Duration.ofMillis(20));
        int congested = c.limit();
        assertThat(congested).as("latency 20x the long-run average: the limit falls").isLessThan(steady / 2);

        fullRounds(c, 10, Duration.ofMillis(1));
        assertThat(c.limit()).as("latency back to normal: the limit grows again").isGreaterThan(congested);
    }

    @Test
    void fastFailuresLowerTheLimitInsteadOfPassingForQuickAnswers() {
        AdmissionController c = controller().initialLimit(20).minLimit(4).maxLimit(200).build();
        fullRounds(c, 30, Duration.ofMillis(5));
        int steady = c.limit();
        for (int r = 0; r < 5; r++) {
            List<Permit> permits = new ArrayList<>();
            for (Permit p; (p = c.tryAcquire(Priority.CRITICAL)) != null; ) {
                permits.add(p);
            }
            now.addAndGet(Duration.ofMillis(1).toNanos()); // failing in 1 ms, faster than the 5 ms successes
            permits.forEach(Permit::dropped);
        }
        assertThat(c.limit()).as("drops of 1 ms").isLessThan(steady);
    }

    @Test
    void aLoneWaiterIsAnsweredWhenNothingElseHappens() throws Exception {
        // the real clock: the sweep, not an arrival or a release, must drop it
        AdmissionController c = AdmissionController.builder().initialLimit(1).minLimit(1).maxLimit(1)
                .codel(Duration.ofMillis(5), Duration.ofMillis(50)).build();
        Permit held = c.tryAcquire(Priority.CRITICAL);
        Admission waited = c.acquire(Priority.CRITICAL).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(waited).isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.reason()).isEqualTo(Rejection.Reason.EXPIRED));
        assertThat(c.queued()).isZero();
        held.complete();
    }

    @Test
    void aLatencySpikeNeverTakesTheLimitBelowItsFloor() {
        AdmissionController c = controller().initialLimit(50).minLimit(10).maxLimit(100).build();
        fullRounds(c, 20, Duration.ofMillis(1));
        int fewestAtOnce = Integer.MAX_VALUE;
        for (int round = 0; round < 30; round++) {
            fullRounds(c, 1, Duration.ofSeconds(2)); // Envoy #8337: a spike 2000x the normal latency
            fewestAtOnce = Math.min(fewestAtOnce, runnableAtOnce(c));
        }
        assertThat(fewestAtOnce).as("the spike drove the limit down to its floor, and no lower").isEqualTo(10);
        assertThat(c.limit()).as("a latency that lasts becomes the new normal: Gradient2 grows the limit again")
                .isGreaterThan(10);
    }

    /** How many requests the controller lets run at once right now (given back without a sample). */
    private static int runnableAtOnce(AdmissionController c) {
        List<Permit> held = new ArrayList<>();
        for (Permit p; (p = c.tryAcquire(Priority.CRITICAL)) != null; ) {
            held.add(p);
        }
        held.forEach(Permit::ignore);
        return held.size();
    }

    @Test
    void theFloorHoldsEvenWhenTheAlgorithmSaysOne() {
        SettableLimit algorithm = new SettableLimit(30);
        AdmissionController c = controller().minLimit(6).algorithm(algorithm).build();
        algorithm.setLimit(1);
        assertThat(c.limit()).isEqualTo(6);
        algorithm.setLimit(40);
        assertThat(c.limit()).isEqualTo(40);
    }

    @Test
    void coDelDropsOnlyWhatWaitedPastTheTargetInAStandingQueue() {
        AdmissionController c = controller().algorithm(new SettableLimit(2)).minLimit(2).maxQueue(10)
                .codel(Duration.ofMillis(5), Duration.ofMillis(100)).build();
        Permit a = (Permit) done(c.acquire(Priority.CRITICAL));
        Permit b = (Permit) done(c.acquire(Priority.CRITICAL));

        CompletionStage<Admission> burst = c.acquire(Priority.CRITICAL);
        now.addAndGet(Duration.ofMillis(50).toNanos());
        assertThat(burst.toCompletableFuture()).as("a burst may wait up to the interval").isNotDone();
        a.complete();
        assertThat(done(burst)).as("admitted after 50 ms: the queue was not standing yet").isInstanceOf(Permit.class);

        // The queue now stays non-empty for more than the interval: it is standing, the target applies.
        CompletionStage<Admission> old = c.acquire(Priority.CRITICAL);
        now.addAndGet(Duration.ofMillis(101).toNanos());
        CompletionStage<Admission> fresh = c.acquire(Priority.CRITICAL);
        assertThat(done(old)).isEqualTo(new Rejection(Priority.CRITICAL, Rejection.Reason.EXPIRED));
        now.addAndGet(Duration.ofMillis(3).toNanos());
        b.complete();
        assertThat(done(fresh)).as("waited 3 ms, under the target").isInstanceOf(Permit.class);
        assertThat(c.expired(Priority.CRITICAL)).isEqualTo(1);
    }

    @Test
    void underOverloadCheckoutIsAdmittedWhileSearchesAreShed() {
        AdmissionController c = controller().algorithm(new SettableLimit(10)).minLimit(10).maxQueue(4).build();
        List<Permit> searches = new ArrayList<>();
        List<CompletionStage<Admission>> refused = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CompletionStage<Admission> s = c.acquire(Priority.SHEDDABLE);
            if (s.toCompletableFuture().getNow(null) instanceof Permit p) {
                searches.add(p);
            } else {
                refused.add(s);
            }
        }
        assertThat(searches).as("searches fill their 80 % share").hasSize(8);
        assertThat(c.shed(Priority.SHEDDABLE)).as("4 queue, the rest are shed at once").isEqualTo(8);

        assertThat(done(c.acquire(Priority.CRITICAL))).as("checkout passes the queued searches").isInstanceOf(Permit.class);
        assertThat(done(c.acquire(Priority.CRITICAL))).isInstanceOf(Permit.class);
        CompletionStage<Admission> third = c.acquire(Priority.CRITICAL);
        assertThat(third.toCompletableFuture()).as("at the whole limit, checkout queues too").isNotDone();
        assertThat(c.shed(Priority.SHEDDABLE)).as("the full queue made room for it by evicting a search").isEqualTo(9);

        searches.getFirst().complete();
        assertThat(done(third)).as("the freed permit goes to checkout, ahead of older searches").isInstanceOf(Permit.class);
        assertThat(c.admitted(Priority.CRITICAL)).isEqualTo(3);
        assertThat(refused.stream().map(f -> f.toCompletableFuture().getNow(null)).filter(a -> a instanceof Rejection).count())
                .as("the evicted search is told so, the three still queued wait").isEqualTo(9);
    }

    @Test
    void manyVirtualThreadsNeverRunMoreThanTheLimitAndAllAreAnswered() throws Exception {
        AdmissionController c = AdmissionController.builder().initialLimit(8).minLimit(8).maxLimit(8).maxQueue(1000).build();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        int requests = 2000;
        CountDownLatch all = new CountDownLatch(requests);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests; i++) {
                Priority priority = Priority.values()[i % 3];
                executor.execute(() -> c.acquire(priority).thenAccept(a -> {
                    answered.incrementAndGet();
                    if (a instanceof Permit p) {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Thread.onSpinWait();
                        running.decrementAndGet();
                        p.complete();
                    }
                    all.countDown();
                }));
            }
            assertThat(all.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(answered.get()).isEqualTo(requests);
        assertThat(most.get()).isBetween(1, 8);
        assertThat(c.inFlight()).isZero();
        assertThat(c.queued()).isZero();
        long total = 0;
        for (Priority p : Priority.values()) {
            total += c.admitted(p) + c.shed(p) + c.expired(p);
        }
        assertThat(total).as("each request admitted, shed or expired, once").isEqualTo(requests);
    }

    @Test
    void aPermitGivenBackTwiceCountsOnce() {
        AdmissionController c = controller().algorithm(new SettableLimit(1)).minLimit(1).build();
        Permit p = c.tryAcquire(Priority.NORMAL);
        p.complete();
        p.ignore();
        assertThat(c.inFlight()).isZero();
    }

    @Test
    void badSettingsAreRefusedWithWhatToChange() {
        assertThatThrownBy(() -> AdmissionController.builder().minLimit(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minLimit must be at least 1, was 0");
        assertThatThrownBy(() -> AdmissionController.builder().minLimit(30).initialLimit(20).build())
                .hasMessage("the limits must satisfy minLimit <= initialLimit <= maxLimit, were 30, 20, 1000");
        assertThatThrownBy(() -> AdmissionController.builder().codel(Duration.ofMillis(10), Duration.ofMillis(5)))
                .hasMessage("codel needs 0 < target <= interval, was target PT0.01S, interval PT0.005S");
        assertThatThrownBy(() -> AdmissionController.builder().share(Priority.SHEDDABLE, 1.5))
                .hasMessage("share of SHEDDABLE must be in (0, 1], was 1.5");
        assertThatThrownBy(() -> AdmissionController.builder().share(Priority.NORMAL, 0.5).build())
                .hasMessage("the normal share (0.5) must not be below the sheddable share (0.8)");
        assertThatThrownBy(() -> new Bulkhead("search", 0))
                .hasMessage("maxConcurrent of bulkhead 'search' must be at least 1, was 0");
    }

    private static Admission done(CompletionStage<Admission> stage) {
        assertThat(stage.toCompletableFuture()).isDone();
        return stage.toCompletableFuture().join();
    }
}
