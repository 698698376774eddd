package dev.headroom.experiments.faults;

import dev.headroom.experiments.edge.FailoverWorkload;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.Response;
import dev.headroom.lab.run.Work;
import dev.headroom.lab.run.Workload;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/**
 * One fault run's traffic, a shop's mix: {@value #CACHED_SHARE} of arrivals {@code GET /products/{id}} (cached),
 * {@value #UNCACHED_SHARE} {@code GET /users/{id}/orders} (always the database), the rest {@code POST /orders} with an
 * {@code Idempotency-Key} each, made and recorded by a {@link FailoverWorkload} for the ledger check. Every request
 * names things that exist, so anything but a 2xx is an error. Each one's arrival and end go to the {@link Timeline}.
 *
 * <p>Called on the generator's event loop only; {@link #started} tells another thread when the first arrival came.
 */
final class FaultWorkload implements Workload {
    static final double CACHED_SHARE = 0.6;
    static final double UNCACHED_SHARE = 0.2;
    private static final List<Map.Entry<String, String>> NO_HEADERS = List.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FailoverWorkload orders;
    private final long products;
    private final long users;
    private final SplittableRandom random;
    private final Timeline timeline;
    private final CountDownLatch started = new CountDownLatch(1);
    private final Map<String, Long> causes = new ConcurrentHashMap<>();
    private volatile long firstArrivalNanos;

    FaultWorkload(FailoverWorkload orders, long products, long users, long seed, Timeline timeline) {
        this.orders = orders;
        this.products = products;
        this.users = users;
        this.random = new SplittableRandom(seed);
        this.timeline = timeline;
    }

    @Override
    public Work arrival(long index) {
        long now = System.nanoTime();
        if (index == 0) {
            firstArrivalNanos = now;
            started.countDown();
        }
        double draw = random.nextDouble();
        Work work;
        if (draw < CACHED_SHARE) {
            work = new Single(new RequestSpec("GET /products/{id}", "GET", "/products/" + (1 + random.nextLong(products)), NO_HEADERS, null));
        } else if (draw < CACHED_SHARE + UNCACHED_SHARE) {
            work = new Single(new RequestSpec("GET /users/{id}/orders", "GET", "/users/" + (1 + random.nextLong(users)) + "/orders", NO_HEADERS, null));
        } else {
            work = orders.arrival(index);
        }
        return new Timed(work, index, now);
    }

    /** The errors that had an answer, by status and the answer's {@code detail}: what failed, in the server's words. */
    Map<String, Long> causes() {
        return Map.copyOf(causes);
    }

    private static String detail(byte[] body) {
        if (body == null) {
            return "(no body)";
        }
        try {
            JsonNode detail = JSON.readTree(body).get("detail");
            return detail == null ? "(no detail)" : detail.asText();
        } catch (IOException e) {
            return "(not problem+json)";
        }
    }

    /** Waits for the run's first arrival (at most {@code within}); its {@link System#nanoTime()}. */
    long awaitStart(Duration within) throws InterruptedException {
        if (!started.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the load did not start within " + within.toSeconds() + " s");
        }
        return firstArrivalNanos;
    }

    private record Single(RequestSpec first) implements Work { }

    /** A work that reports its end, whatever it was, to the timeline. */
    private final class Timed implements Work {
        private final Work inner;
        private final long index;
        private final long arrived;

        Timed(Work inner, long index, long arrived) {
            this.inner = inner;
            this.index = index;
            this.arrived = arrived;
        }

        @Override
        public RequestSpec first() {
            return inner.first();
        }

        @Override
        public RequestSpec next(Response previous) {
            timeline.add(index, arrived, System.nanoTime(), previous.status());
            if (previous.status() != 0 && (previous.status() < 200 || previous.status() > 299)) {
                causes.merge(previous.status() + " " + detail(previous.body()), 1L, Long::sum);
            }
            return inner.next(previous);
        }

        /** Every answer's body: an error's says why (its problem+json {@code detail}). */
        @Override
        public boolean needsBody() {
            return true;
        }
    }
}
