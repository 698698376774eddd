package dev.headroom.edge.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Envoy's rule: retries in flight at most max(min, ratio × requests in flight), exactly, with many threads asking at once. */
class RetryBudgetTest {

    @Test
    void theFloorHoldsWhenFewRequestsRunAndTheRatioWhenMany() {
        RetryBudget budget = RetryBudget.of(0.1, 3);
        budget.requestStarted();
        assertThat(acquireAll(budget)).as("one request in flight: the floor").isEqualTo(3);
        for (int i = 0; i < 99; i++) {
            budget.requestStarted();
        }
        assertThat(budget.limit()).isEqualTo(10);
        assertThat(acquireAll(budget)).as("100 in flight: 10 %, 3 of them taken already").isEqualTo(7);
        budget.releaseRetry();
        assertThat(budget.tryAcquireRetry()).as("a place freed").isTrue();
        assertThat(budget.allowed()).isEqualTo(11);
        assertThat(budget.denied()).isEqualTo(2);
    }

    @Test
    void manyThreadsNeverTakeMoreThanTheLimit() throws InterruptedException {
        RetryBudget budget = RetryBudget.of(0.2, 0);
        for (int i = 0; i < 50; i++) {
            budget.requestStarted();
        }
        AtomicInteger held = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    if (budget.tryAcquireRetry()) {
                        most.accumulateAndGet(held.incrementAndGet(), Math::max);
                        held.decrementAndGet();
                        budget.releaseRetry();
                    }
                }
            });
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(most.get()).as("retries held at once, limit 20 % of 50").isBetween(1, 10);
        assertThat(budget.retriesInFlight()).isZero();
        assertThat(budget.allowed() + budget.denied()).isEqualTo(8 * 20_000);
    }

    @Test
    void badSettingsSayWhatToChange() {
        assertThatThrownBy(() -> RetryBudget.of(1.5, 3))
                .hasMessage("the retry budget's ratio must be between 0 and 1 (0 % and 100 % of the requests in flight), was 1.5");
        assertThatThrownBy(() -> RetryBudget.of(0.2, -1)).hasMessage("the retry budget's min retry concurrency must be between 0 and 10000, was -1");
    }

    private static int acquireAll(RetryBudget budget) {
        int n = 0;
        while (budget.tryAcquireRetry()) {
            n++;
        }
        return n;
    }
}
