package dev.headroom.lab.run;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Carries each second's {@link Progress} from the generator's event loop to the thread that started the
 * run, which hands it to the caller's consumer. That consumer prints: on the loop, its first call (a cold
 * {@code String.format} of decimals took 32 ms on this machine) fell in the run's second second and
 * delayed every arrival due meanwhile, which the run then reported as its own schedule lag.
 *
 * <p>Threading: {@link #accept} on the loop, once a second; {@link #deliverUntil} on the starting thread.
 * The queue orders the hand-over, and nothing in a {@code Progress} is written after it is posted (its
 * interval is closed).
 */
final class ProgressRelay implements Consumer<Progress> {
    /** Posted once the run has finished; compared by identity. */
    private static final Progress END = new Progress(0, null, 0, 0, 0, 0, 0);

    private final BlockingQueue<Progress> queue = new LinkedBlockingQueue<>();
    private final Consumer<Progress> consumer;

    ProgressRelay(Consumer<Progress> consumer) {
        this.consumer = consumer;
    }

    @Override
    public void accept(Progress progress) {
        queue.add(progress);
    }

    /** Hands every posted progress to the consumer, in order, until {@code finished} completes. */
    void deliverUntil(CompletableFuture<Void> finished) throws InterruptedException {
        finished.whenComplete((done, failed) -> queue.add(END));
        for (Progress p = queue.take(); p != END; p = queue.take()) {
            consumer.accept(p);
        }
    }
}
