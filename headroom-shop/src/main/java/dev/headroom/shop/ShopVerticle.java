package dev.headroom.shop;

import dev.headroom.edge.guard.CloseReason;
import dev.headroom.edge.guard.ConnectionGuard;
import dev.headroom.shop.http.Problems;
import io.netty.handler.codec.compression.Brotli;
import io.netty.handler.codec.compression.BrotliMode;
import io.netty.handler.codec.compression.CompressionOptions;
import io.netty.handler.codec.compression.StandardCompressionOptions;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** One HTTP server instance on one event loop; the shop deploys one per core, all sharing the port. */
final class ShopVerticle extends VerticleBase {
    /** Longest request line (method, URL, version); longer is a 414. */
    static final int MAX_INITIAL_LINE = 8 * 1024;
    /** Largest header block; larger is a 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** gzip's middle level: most of level 9's saving at a fraction of its CPU. */
    static final int GZIP_LEVEL = 6;
    /** Brotli's quality 4 compresses about like gzip 6, faster; the high qualities are for static assets built once. */
    static final int BROTLI_QUALITY = 4;

    private final String host;
    private final int port;
    private final boolean compress;
    private final Function<io.vertx.core.Vertx, Router> routerFactory;
    private final ConnectionGuard guard;
    private HttpServer server;

    /** @param compress the {@code http} switch: gzip, and Brotli where its native encoder loads, by {@code Accept-Encoding} */
    ShopVerticle(String host, int port, boolean compress, ConnectionGuard guard, Function<io.vertx.core.Vertx, Router> routerFactory) {
        this.guard = guard;
        this.host = host;
        this.port = port;
        this.compress = compress;
        this.routerFactory = routerFactory;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setTcpNoDelay(true)
                // without h2c Vert.x builds the HTTP/1.1 pipeline, and calls the guard, at accept; with it only after the first
                // request, which leaves a client that never finishes one unguarded. Our clients (lab, edge) speak HTTP/1.1.
                .setHttp2ClearTextEnabled(false);
        if (compress) {
            options.setCompressionSupported(true)
                    .setCompressionContentSizeThreshold(ShopConfig.COMPRESSION_MIN_BYTES)
                    .setCompressors(compressors());
        }
        server = vertx.createHttpServer(options)
                .connectionHandler(guard::install)
                .requestHandler(routerFactory.apply(vertx))
                .invalidRequestHandler(ShopVerticle::invalidRequest);
        return server.listen(port, host);
    }

    /** One guard for all the shop's event loops (its limits count the whole server), its figures in the registry. */
    static ConnectionGuard guard(dev.headroom.edge.guard.GuardConfig config, MeterRegistry registry) {
        ConnectionGuard guard = new ConnectionGuard(config);
        Gauge.builder("headroom_http_connections_open", guard, ConnectionGuard::open)
                .description("HTTP connections open now").register(registry);
        for (CloseReason reason : CloseReason.values()) {
            FunctionCounter.builder("headroom_http_connections_closed", guard, g -> g.closed(reason))
                    .description("HTTP connections closed or refused by the connection guard, by reason")
                    .tag("reason", reason.label()).register(registry);
        }
        return guard;
    }

    /** The encoders offered, preferred first when a client accepts several equally. */
    static List<CompressionOptions> compressors() {
        List<CompressionOptions> encoders = new ArrayList<>(2);
        if (Brotli.isAvailable()) {
            encoders.add(StandardCompressionOptions.brotli(BROTLI_QUALITY, 22, BrotliMode.TEXT)); // window 2^22, Brotli's default
        }
        encoders.add(StandardCompressionOptions.gzip(GZIP_LEVEL, 15, 8)); // zlib's default window and memory
        return encoders;
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
