package dev.headroom.edge.health;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Sends each member's checks: one GET at a time per member, the next one scheduled an interval (± jitter) after the
 * answer, so a slow endpoint is never probed by overlapping checks. Scheduling uses the shared timer thread; the
 * requests use the HttpClient's asynchronous API, so no thread waits for an answer.
 */
final class ActiveChecker implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final HttpClient client;
    private final String path;
    private final long intervalNanos;
    private final double jitter;
    private final Duration timeout;
    /** Gets each result: null when passed, else what failed. */
    private final BiConsumer<Member, String> results;

    ActiveChecker(ScheduledExecutorService timer, HealthBuilder b, BiConsumer<Member, String> results) {
        this.timer = timer;
        // HTTP/1.1: an h2c upgrade attempt on every probe would only add a round of headers
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.checkTimeout).build();
        this.path = b.checkPath;
        this.intervalNanos = b.checkInterval.toNanos();
        this.jitter = b.checkJitter;
        this.timeout = b.checkTimeout;
        this.results = results;
    }

    /** The first check comes at a random point of the first interval, so endpoints added together spread out at once. */
    void start(Member m) {
        schedule(m, ThreadLocalRandom.current().nextLong(intervalNanos));
    }

    private void schedule(Member m, long delayNanos) {
        try {
            m.nextCheck = timer.schedule(() -> check(m), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            // closed meanwhile: no more checks
        }
    }

    private void check(Member m) {
        if (m.removed) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(m.check.resolve(path)).timeout(timeout).GET().build();
        try {
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                int status = error == null ? response.statusCode() : 0;
                results.accept(m, error != null ? describe(error) : status / 100 == 2 ? null : "status " + status);
                if (!m.removed) {
                    long spread = (long) (intervalNanos * jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1));
                    schedule(m, intervalNanos + spread);
                }
            });
        } catch (IllegalStateException closed) {
            // the client was shut down between the removed check and the send
        }
    }

    private String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        if (cause instanceof ConnectException) {
            return "connect failed" + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        }
        return cause.toString();
    }

    @Override
    public void close() {
        client.shutdownNow();
    }
}
