package dev.headroom.analytics.ingest;

import dev.headroom.analytics.event.EventSink;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Takes events in over two transports and hands them, in {@link dev.headroom.analytics.event.EventBatch}es,
 * to an {@link EventSink}, with back-pressure from the sink to the sender and no unbounded queue:
 * <ul>
 *   <li>a TCP port for binary frames ({@link FrameEncoder} documents the format): the compact streaming
 *       transport, about 37 bytes and a few nanoseconds of decoding per event. A refused batch pauses
 *       the socket until the sink is writable, so the sender's writes block.</li>
 *   <li>an HTTP port with {@code POST /events} taking NDJSON (one event per line; see
 *       {@link #eventsHandler()}), answered 202 {@code {"accepted":N}} once the sink took every event.</li>
 * </ul>
 * Either port is opened only when its port number is given. The HTTP part can also be mounted on
 * another router: {@code router.post("/events").handler(server.eventsHandler())}.
 *
 * <p>Thread-safety: the sink is called from the Vert.x event loops (one connection on one loop), so it
 * must be thread-safe; {@link #stats()} may be read from any thread.
 */
public final class IngestServer implements AutoCloseable {
    /** Default {@link Builder#maxBodyBytes(int)}: 8 MiB, about 80,000 NDJSON events. */
    public static final int DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
    /** Default {@link Builder#maxBufferedBytes(long)}: 64 MiB of bodies held over all requests at once. */
    public static final long DEFAULT_MAX_BUFFERED_BYTES = 64L * 1024 * 1024;
    /** Default {@link Builder#batchSize(int)}: events per batch handed to the sink. */
    public static final int DEFAULT_BATCH_SIZE = 4096;
    /** Default {@link Builder#defaultSource(int)}: the source of HTTP events without a {@code Headroom-Source}. */
    public static final int DEFAULT_SOURCE = 0;

    /** The ports listened on; -1 for a transport not opened. */
    public record Ports(int tcp, int http) {
    }

    /**
     * What the transports have seen: events handed to the sink, frames decoded, malformed frames (each
     * closed its connection), bytes read from TCP, and HTTP requests refused (4xx).
     */
    public record Stats(long events, long frames, long malformedFrames, long bytes, long refusedRequests) {
    }

    private final EventSink sink;
    private final Vertx givenVertx;
    private final String host;
    private final int tcpPort;
    private final int httpPort;
    private final int batchSize;
    private final IngestCounters counters = new IngestCounters();
    private final EventsHandler eventsHandler;
    private Vertx vertx;
    private NetServer tcp;
    private HttpServer http;

    private IngestServer(Builder config) {
        sink = config.sink;
        givenVertx = config.vertx;
        host = config.host;
        tcpPort = config.tcpPort;
        httpPort = config.httpPort;
        batchSize = config.batchSize;
        eventsHandler = new EventsHandler(sink, counters, config.maxBodyBytes, new BodyBudget(config.maxBufferedBytes), batchSize,
                config.defaultSource);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens the configured ports (blocking until they listen) and returns them. */
    public synchronized Ports start() {
        if (vertx != null) {
            throw new IllegalStateException("the ingest server is already started");
        }
        vertx = givenVertx != null ? givenVertx : Vertx.vertx();
        try {
            if (tcpPort >= 0) {
                tcp = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(tcpPort))
                        .connectHandler(socket -> new FrameConnection(socket, Vertx.currentContext(), sink, batchSize,
                                counters).start())
                        .listen().await(30, TimeUnit.SECONDS);
            }
            if (httpPort >= 0) {
                Router router = Router.router(vertx);
                router.post("/events").handler(eventsHandler);
                http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(httpPort))
                        .requestHandler(router)
                        .listen().await(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the ingest server could not listen on " + host + ": " + e.getMessage(), e);
        }
        return new Ports(tcp == null ? -1 : tcp.actualPort(), http == null ? -1 : http.actualPort());
    }

    /**
     * The {@code POST /events} handler, to mount on any router without a {@code BodyHandler} in front (it
     * reads the body itself, enforcing the limit). Works without {@link #start()}.
     */
    public Handler<RoutingContext> eventsHandler() {
        return eventsHandler;
    }

    public Stats stats() {
        return counters.snapshot();
    }

    /** Closes the ports, and the Vert.x instance when the server made it. */
    @Override
    public synchronized void close() {
        try {
            if (tcp != null) {
                tcp.close().await(10, TimeUnit.SECONDS);
            }
            if (http != null) {
                http.close().await(10, TimeUnit.SECONDS);
            }
            if (vertx != null && givenVertx == null) {
                vertx.close().await(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the ingest server did not close: " + e.getMessage(), e);
        } finally {
            tcp = null;
            http = null;
        }
    }

    /** Settings, each checked when set; {@link #build()} checks that a sink was given. */
    public static final class Builder {
        private EventSink sink;
        private Vertx vertx;
        private String host = "127.0.0.1";
        private int tcpPort = -1;
        private int httpPort = -1;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int defaultSource = DEFAULT_SOURCE;

        private Builder() {
        }

        /** Where batches go (required). */
        public Builder sink(EventSink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** A Vert.x instance to run on (not closed by {@link #close()}); by default the server makes its own. */
        public Builder vertx(Vertx vertx) {
            this.vertx = Objects.requireNonNull(vertx, "vertx");
            return this;
        }

        /** The address to listen on. Default: 127.0.0.1. */
        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must be an address or a name, was " + host);
            }
            this.host = host;
            return this;
        }

        /** Opens the frame port: 0 for any free port. Default: not opened. */
        public Builder tcpPort(int port) {
            this.tcpPort = checkPort("tcpPort", port);
            return this;
        }

        /** Opens the HTTP port: 0 for any free port. Default: not opened. */
        public Builder httpPort(int port) {
            this.httpPort = checkPort("httpPort", port);
            return this;
        }

        /** The largest NDJSON body taken; a larger one is answered 413. Default: 8 MiB. */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * The bytes of NDJSON bodies held over all requests at once (read, parsed or waiting for the sink); a request
         * that would pass it is answered 503 with Retry-After. At least {@link #maxBodyBytes(int)}. Default: 64 MiB.
         */
        public Builder maxBufferedBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBufferedBytes must be at least 1, was " + bytes);
            }
            this.maxBufferedBytes = bytes;
            return this;
        }

        /** Events per batch handed to the sink (a frame larger than this makes one batch). Default: 4096. */
        public Builder batchSize(int events) {
            if (events < 1 || events > FrameEncoder.MAX_EVENTS) {
                throw new IllegalArgumentException("batchSize must be 1.." + FrameEncoder.MAX_EVENTS + " events, was " + events);
            }
            this.batchSize = events;
            return this;
        }

        /** The source of HTTP events sent without a {@code Headroom-Source} header. Default: 0. */
        public Builder defaultSource(int source) {
            this.defaultSource = source;
            return this;
        }

        public IngestServer build() {
            if (sink == null) {
                throw new IllegalStateException("an ingest server needs a sink: call sink(..) before build()");
            }
            if (maxBufferedBytes < maxBodyBytes) {
                throw new IllegalStateException("maxBufferedBytes (" + maxBufferedBytes + ") must be at least maxBodyBytes ("
                        + maxBodyBytes + "): else no body of the largest size could ever be taken");
            }
            return new IngestServer(this);
        }

        private static int checkPort(String name, int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be 0 (any free port) to 65535, was " + port);
            }
            return port;
        }
    }
}
