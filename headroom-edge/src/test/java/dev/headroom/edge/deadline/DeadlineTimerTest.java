package dev.headroom.edge.deadline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {
    private final DeadlineTimer timer = new DeadlineTimer();

    @AfterEach
    void stop() {
        timer.close();
    }

    @Test
    void runsTheActionOnceTheDeadlineHasPassedAndNotBefore() throws Exception {
        Deadline deadline = Deadline.after(Duration.ofMillis(50));
        AtomicBoolean expiredWhenRun = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(1);

        timer.at(deadline, () -> {
            expiredWhenRun.set(deadline.expired());
            runs.incrementAndGet();
            ran.countDown();
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(expiredWhenRun).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aDeadlinePassedAlreadyRunsAtOnce() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);

        timer.at(Deadline.after(Duration.ZERO), ran::countDown);

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDisarmedActionNeverRuns() throws Exception {
        AtomicBoolean disarmedRan = new AtomicBoolean();
        CountDownLatch later = new CountDownLatch(1);

        timer.at(Deadline.after(Duration.ofMillis(20)), () -> disarmedRan.set(true)).disarm();
        timer.at(Deadline.after(Duration.ofMillis(60)), later::countDown);

        assertThat(later.await(5, TimeUnit.SECONDS)).as("the later action ran").isTrue();
        assertThat(disarmedRan).as("the disarmed one, due before it").isFalse();
    }

    @Test
    void anActionThatBlocksDoesNotHoldBackTheNextOneDue() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch next = new CountDownLatch(1);
        try {
            timer.at(Deadline.after(Duration.ZERO), () -> {
                try {
                    release.await(); // a cancel stuck on an unanswering database
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            timer.at(Deadline.after(Duration.ofMillis(20)), next::countDown);

            assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
        }
    }
}
