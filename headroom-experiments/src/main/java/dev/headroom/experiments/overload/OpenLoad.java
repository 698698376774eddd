package dev.headroom.experiments.overload;

import dev.headroom.experiments.Pause;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * An open-model load of a few Poisson streams at once (searches and, beside them, checkouts), each request's latency
 * counted from its intended send time, kept apart by outcome: the lab's {@code LoadRun} keeps one histogram for all
 * answers, and the overload experiments must tell an admitted request's latency from a shed one's. One Vert.x event
 * loop sends and receives; connections are capped ({@value #CONNECTIONS}), beyond which requests wait their turn in
 * the client, their latency still counted from when they were due.
 */
final class OpenLoad implements AutoCloseable {
    static final int CONNECTIONS = 256;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** One stream: {@code rate} requests/s, each made by {@code request} from its index. */
    record Stream(String name, double rate, LongFunction<Request> request) { }

    record Request(HttpMethod method, String path, String jsonBody) {
        static Request get(String path) {
            return new Request(HttpMethod.GET, path, null);
        }
    }

    /**
     * What one stream got in the measured window. Latencies in µs from the intended send time.
     *
     * @param ok       2xx answers
     * @param shed     503 answers
     * @param failed   other statuses, timeouts, connection errors
     * @param admitted latency of every request not shed (2xx, other statuses, failures at the time they failed)
     * @param okLatency latency of the 2xx answers
     */
    record Tally(String name, double seconds, long sent, long ok, long shed, long failed, Histogram admitted, Histogram okLatency) {
        double p99AdmittedMs() {
            return admitted.getTotalCount() == 0 ? Double.NaN : admitted.getValueAtPercentile(99) / 1000.0;
        }

        /** 2xx answers within {@code sloMs} per second. */
        double goodputRps(double sloMs) {
            long within = okLatency.getTotalCount() == 0 ? 0 : okLatency.getCountBetweenValues(0, (long) (sloMs * 1000));
            return within / seconds;
        }

        double shedShare() {
            return sent == 0 ? 0 : (double) shed / sent;
        }
    }

    private final Vertx vertx;
    private final HttpClientAgent client;

    OpenLoad(URI base) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        this.client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort())
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
    }

    /**
     * Offers every stream at once for {@code warmup} (not counted) then {@code measured}, and waits for the answers.
     */
    List<Tally> run(List<Stream> streams, Duration warmup, Duration measured, long seed) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(seed);
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        List<Counting> counts = new ArrayList<>();
        long[] next = new long[streams.size()];
        long[] index = new long[streams.size()];
        for (int i = 0; i < streams.size(); i++) {
            counts.add(new Counting());
            next[i] = start + gap(random, streams.get(i).rate());
        }
        AtomicLong outstanding = new AtomicLong();
        while (true) {
            int s = 0;
            for (int i = 1; i < next.length; i++) {
                if (next[i] < next[s]) {
                    s = i;
                }
            }
            long due = next[s];
            if (due >= end) {
                break;
            }
            Pause.until(due);
            Counting c = due >= measureFrom ? counts.get(s) : null;
            send(streams.get(s).request().apply(index[s]++), due, c, outstanding);
            next[s] = due + gap(random, streams.get(s).rate());
        }
        long giveUp = System.nanoTime() + TIMEOUT.toNanos() + TimeUnit.SECONDS.toNanos(2);
        while (outstanding.get() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        double seconds = measured.toNanos() / 1e9;
        List<Tally> tallies = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            tallies.add(counts.get(i).tally(streams.get(i).name(), seconds));
        }
        return tallies;
    }

    private static long gap(SplittableRandom random, double rate) {
        return (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
    }

    private void send(Request r, long intendedNanos, Counting counting, AtomicLong outstanding) {
        outstanding.incrementAndGet();
        if (counting != null) {
            counting.sent();
        }
        RequestOptions options = new RequestOptions().setMethod(r.method()).setURI(r.path()).setIdleTimeout(TIMEOUT.toMillis());
        if (r.jsonBody() != null) {
            options.putHeader("Content-Type", "application/json");
        }
        client.request(options)
                .compose(req -> r.jsonBody() == null ? req.send() : req.send(Buffer.buffer(r.jsonBody())))
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .onComplete(ar -> {
                    outstanding.decrementAndGet();
                    if (counting != null) {
                        counting.record(ar.succeeded() ? ar.result() : 0, (System.nanoTime() - intendedNanos) / 1000);
                    }
                });
    }

    @Override
    public void close() {
        try {
            vertx.close().await(5, TimeUnit.SECONDS); // closes the client too
        } catch (TimeoutException e) {
            throw new IllegalStateException("the load generator's Vert.x did not close within 5 s", e);
        }
    }

    /** Counts of one stream; written from the scheduler thread (sent) and the event loop (the rest), so synchronized. */
    private static final class Counting {
        private long sent;
        private long ok;
        private long shed;
        private long failed;
        private final Histogram admitted = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        private final Histogram okLatency = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);

        synchronized void sent() {
            sent++;
        }

        synchronized void record(int status, long micros) {
            long v = Math.min(micros, admitted.getHighestTrackableValue());
            if (status == 503) {
                shed++;
                return;
            }
            admitted.recordValue(v);
            if (status >= 200 && status < 300) {
                ok++;
                okLatency.recordValue(v);
            } else {
                failed++;
            }
        }

        synchronized Tally tally(String name, double seconds) {
            return new Tally(name, seconds, sent, ok, shed, failed, admitted.copy(), okLatency.copy());
        }
    }
}
