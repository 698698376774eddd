package dev.headroom.shop;

import dev.headroom.shop.http.Problems;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One HTTP server instance on one event loop; the shop deploys one per core, all sharing the port. */
final class ShopVerticle extends VerticleBase {
    /** Longest request line (method, URL, version); longer is a 414. */
    static final int MAX_INITIAL_LINE = 8 * 1024;
    /** Largest header block; larger is a 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final Function<io.vertx.core.Vertx, Router> routerFactory;
    private HttpServer server;

    ShopVerticle(String host, int port, Function<io.vertx.core.Vertx, Router> routerFactory) {
        this.host = host;
        this.port = port;
        this.routerFactory = routerFactory;
    }

    @Override
    public Future<?> start() {
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setMaxInitialLineLength(MAX_INITIAL_LINE)
                        .setMaxHeaderSize(MAX_HEADER_BYTES)
                        .setIdleTimeout(60)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS)
                        .setTcpNoDelay(true))
                .requestHandler(routerFactory.apply(vertx))
                .invalidRequestHandler(ShopVerticle::invalidRequest);
        return server.listen(port, host);
    }

    /** Stops accepting, lets in-flight requests finish (up to {@code grace}), then closes connections. */
    Future<Void> shutdown(long graceMillis) {
        return server == null ? Future.succeededFuture() : server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
    }

    /** Requests Netty could not decode: too-long URL (414), too-large headers (431), otherwise 400; as problem+json, then close. */
    private static void invalidRequest(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG.code()
                : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.code()
                : HttpResponseStatus.BAD_REQUEST.code();
        String detail = switch (status) {
            case 414 -> "the request line is longer than " + MAX_INITIAL_LINE + " bytes";
            case 431 -> "the request headers are larger than " + MAX_HEADER_BYTES + " bytes";
            default -> "the request could not be decoded as HTTP/1.1";
        };
        request.response().putHeader("Connection", "close");
        Problems.send(request.response(), Problems.forStatus(status, detail));
        request.connection().close();
    }
}
