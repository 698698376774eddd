package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Endpoint;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backend as the proxy uses it: its balancer {@link Endpoint}, a keep-alive connection pool per event loop
 * (so a request and its backend connection share a thread, and the pool needs no lock), and its counters.
 */
final class Upstream implements AutoCloseable {
    final Backend backend;
    final Endpoint endpoint;
    final EdgeConfig config;
    final String host;
    final int port;
    final LatencyBuckets latency = new LatencyBuckets();
    final LongAdder responses2xx = new LongAdder();
    final LongAdder responses3xx = new LongAdder();
    final LongAdder responses4xx = new LongAdder();
    final LongAdder responses5xx = new LongAdder();
    final LongAdder gatewayFailures = new LongAdder();
    /** Null when the edge runs without breakers. */
    final CircuitBreaker breaker;
    private final ConcurrentHashMap<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Upstream(Backend backend, Endpoint endpoint, EdgeConfig config) {
        this.backend = backend;
        this.endpoint = endpoint;
        this.config = config;
        this.host = backend.url().getHost();
        this.port = backend.url().getPort();
        this.breaker = config.resilience.breaker(backend.id());
    }

    /** Whether a try may go to this backend now: its breaker, if any, permits one (a half-open probe included). */
    boolean admits() {
        return breaker == null || breaker.tryAcquirePermission();
    }

    /** The pool of the calling event loop's connections to this backend. */
    UpstreamPool pool(EventLoop loop) {
        UpstreamPool pool = pools.get(loop);
        if (pool == null) {
            pool = pools.computeIfAbsent(loop, l -> new UpstreamPool(this, l));
            if (closed) {
                loop.execute(pool::close);
            }
        }
        return pool;
    }

    void count(int status, long nanos) {
        latency.record(nanos);
        switch (status / 100) {
            case 2 -> responses2xx.increment();
            case 3 -> responses3xx.increment();
            case 4 -> responses4xx.increment();
            default -> responses5xx.increment();
        }
    }

    void countGatewayFailure(long nanos) {
        latency.record(nanos);
        gatewayFailures.increment();
    }

    long requests() {
        return responses2xx.sum() + responses3xx.sum() + responses4xx.sum() + responses5xx.sum() + gatewayFailures.sum();
    }

    /** Closes every pooled connection on its own loop; connections in use close when their exchange ends. */
    @Override
    public void close() {
        closed = true;
        pools.forEach((loop, pool) -> loop.execute(pool::close));
    }
}
