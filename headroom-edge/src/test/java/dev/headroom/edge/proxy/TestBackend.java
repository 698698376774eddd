package dev.headroom.edge.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend on Vert.x that answers with its own name and keeps every request it got (but its health
 * checks), so that a test can see what the proxy forwarded. Its behaviour can change while it runs:
 * {@link #status}, {@link #delayMillis}, {@link #healthStatus}, {@link #dropConnections}.
 *
 * <p>Paths with a meaning of their own: {@code /health/ready}; {@code /slow?ms=N}; {@code /status/N};
 * {@code /big?bytes=N} (chunked) and {@code /big-length?bytes=N} (with Content-Length), both {@link #pattern};
 * {@code /hop} (hop-by-hop response headers).
 */
final class TestBackend implements AutoCloseable {
    /** What a backend got: enough to check the proxy's rewriting. */
    record Received(String method, String uri, MultiMap headers, String body) { }

    final String name;
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger delayMillis = new AtomicInteger();
    final AtomicInteger healthStatus = new AtomicInteger(200);
    /** When set, the backend reads a request and closes the connection without answering. */
    volatile boolean dropConnections;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private final HttpServer server;

    private TestBackend(String name, Vertx vertx, HttpServer server) {
        this.name = name;
        this.vertx = vertx;
        this.server = server;
    }

    static TestBackend start(Vertx vertx, String name) {
        TestBackend[] self = new TestBackend[1];
        HttpServer server = vertx.createHttpServer().requestHandler(request -> self[0].handle(request));
        self[0] = new TestBackend(name, vertx, server);
        await(server.listen(0, "127.0.0.1"));
        return self[0];
    }

    int port() {
        return server.actualPort();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port());
    }

    Backend backend() {
        return backend(1);
    }

    Backend backend(int weight) {
        return new Backend(name, url(), weight);
    }

    /** Requests served, health checks not counted. */
    int served() {
        return received.size();
    }

    int served(String method) {
        return (int) received.stream().filter(r -> r.method.equals(method)).count();
    }

    Received last() {
        return received.getLast();
    }

    private void handle(HttpServerRequest request) {
        if (request.path().equals("/health/ready")) {
            request.response().setStatusCode(healthStatus.get()).end();
            return;
        }
        request.body().onSuccess(body -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
            received.add(new Received(request.method().name(), request.uri(), headers, body.toString()));
            if (dropConnections) {
                request.connection().close();
                return;
            }
            long delay = request.path().equals("/slow") ? Long.parseLong(request.getParam("ms")) : delayMillis.get();
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer(request));
            } else {
                answer(request);
            }
        });
    }

    private void answer(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        response.putHeader("x-backend", name);
        switch (request.path()) {
            case "/big" -> {
                response.setChunked(true);
                Buffer all = pattern(Integer.parseInt(request.getParam("bytes")));
                for (int at = 0; at < all.length(); at += 16 * 1024) {
                    response.write(all.getBuffer(at, Math.min(all.length(), at + 16 * 1024)));
                }
                response.end();
            }
            case "/big-length" -> response.end(pattern(Integer.parseInt(request.getParam("bytes"))));
            case "/hop" -> response.putHeader("connection", "x-private")
                    .putHeader("keep-alive", "timeout=5").putHeader("upgrade", "foo/1")
                    .putHeader("x-private", "only for the hop").putHeader("x-custom", "passes").end(name);
            default -> {
                int s = request.path().startsWith("/status/") ? Integer.parseInt(request.path().substring(8)) : status.get();
                response.setStatusCode(s);
                if (s == 204 || s == 304) {
                    response.end();
                } else {
                    response.putHeader("x-custom", "from " + name).end(name);
                }
            }
        }
    }

    /** Bytes whose every position is checkable: a truncated or reordered copy does not equal it. */
    static Buffer pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ((i * 31 + (i >>> 8)) & 0xff);
        }
        return Buffer.buffer(bytes);
    }

    @Override
    public void close() {
        await(server.close());
    }

    static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
