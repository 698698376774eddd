package dev.headroom.edge.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP backend (Vert.x) whose failures are scripted by a counter, so a test knows exactly which requests
 * fail: every {@link #failEvery}th request is answered 503, every answer after {@link #delayMillis}. It counts the
 * requests it got, the ones whose connection the edge closed before the answer (a cancelled hedge), and keeps the
 * deadline headers it was sent. All of them share one Vert.x of the test JVM's (surefire's exit ends it).
 */
final class FlakyBackend implements AutoCloseable {
    private static final class Shared {
        static final Vertx VERTX = Vertx.vertx();
    }

    final String name;
    /** 0: never fails; 2: every second request fails. */
    final AtomicInteger failEvery = new AtomicInteger();
    final AtomicInteger delayMillis = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger closedBeforeAnswer = new AtomicInteger();
    final List<String> deadlines = new CopyOnWriteArrayList<>();
    private final Vertx vertx;
    private final HttpServer server;

    private FlakyBackend(String name, Vertx vertx) {
        this.name = name;
        this.vertx = vertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        TestBackend.await(server.listen(0, "127.0.0.1"));
    }

    static FlakyBackend start(String name) {
        return new FlakyBackend(name, Shared.VERTX);
    }

    Backend backend() {
        return new Backend(name, URI.create("http://127.0.0.1:" + server.actualPort()), 1);
    }

    private void handle(HttpServerRequest request) {
        int n = requests.incrementAndGet();
        deadlines.add(String.valueOf(request.getHeader("Headroom-Deadline-Ms")));
        int every = failEvery.get();
        int status = every > 0 && n % every == 0 ? 503 : 200;
        boolean[] answered = new boolean[1];
        request.connection().closeHandler(v -> {
            if (!answered[0]) {
                closedBeforeAnswer.incrementAndGet();
            }
        });
        Runnable answer = () -> {
            answered[0] = true;
            if (!request.response().closed()) {
                request.response().setStatusCode(status).end(name);
            }
        };
        int delay = delayMillis.get();
        request.body().onSuccess(b -> {
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    @Override
    public void close() {
        TestBackend.await(server.close());
    }
}
