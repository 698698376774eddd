package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Endpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backend as the proxy uses it: its balancer {@link Endpoint}, its own keep-alive connection pool (HTTP/1.1,
 * bounded in size and in requests waiting for a connection, idle connections closed by the edge before the backend
 * would, each retired after a lifetime) and its counters.
 */
final class Upstream implements AutoCloseable {
    final Backend backend;
    final Endpoint endpoint;
    final HttpClientAgent client;
    final String host;
    final int port;
    final LatencyBuckets latency = new LatencyBuckets();
    final LongAdder responses2xx = new LongAdder();
    final LongAdder responses3xx = new LongAdder();
    final LongAdder responses4xx = new LongAdder();
    final LongAdder responses5xx = new LongAdder();
    final LongAdder gatewayFailures = new LongAdder();

    Upstream(Vertx vertx, Backend backend, Endpoint endpoint, EdgeConfig config) {
        this.backend = backend;
        this.endpoint = endpoint;
        URI url = backend.url();
        this.host = url.getHost();
        this.port = url.getPort();
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.poolIdleTimeout.toSeconds()))
                .setConnectTimeout((int) config.connectTimeout.toMillis())
                .setTcpNoDelay(true)
                .setDecompressionSupported(false)
                .setMaxHeaderSize(Math.max(config.maxHeaderBytes, HttpClientOptions.DEFAULT_MAX_HEADER_SIZE))
                .setDefaultHost(host)
                .setDefaultPort(port);
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(config.maxConnections)
                .setMaxWaitQueueSize(config.maxPending)
                .setMaxLifetimeUnit(TimeUnit.MILLISECONDS)
                .setMaxLifetime((int) Math.min(Integer.MAX_VALUE, config.poolMaxLifetime.toMillis()));
        this.client = vertx.httpClientBuilder().with(options).with(pool).build();
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

    @Override
    public void close() {
        client.close();
    }
}
