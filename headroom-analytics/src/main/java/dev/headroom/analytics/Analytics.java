package dev.headroom.analytics;

import dev.headroom.analytics.dashboard.Dashboard;
import dev.headroom.analytics.dashboard.ServiceFigures;
import dev.headroom.analytics.event.EventSink;
import dev.headroom.analytics.ingest.IngestServer;
import dev.headroom.analytics.store.AnalyticsStore;
import dev.headroom.analytics.store.Retention;
import dev.headroom.analytics.store.RollupWriter;
import dev.headroom.analytics.window.PartitionedEngine;
import dev.headroom.analytics.window.WindowSink;
import dev.headroom.analytics.window.WindowSpec;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time analytics pipeline as one service: events in (binary frames over TCP, NDJSON at
 * {@code POST /events}, or {@link #events()} in-process), the engine's windows — 1 s tumbling, the rollups'
 * and the dashboard's, and 10 s sliding by 1 s — the 1 s results per key into DuckDB rollups (downsampled to
 * 1 min and 1 h, and trimmed by {@link Retention#DEFAULTS}, every {@value #COMPACTION_SECONDS} s), and the live
 * dashboard at {@code /dashboard} on the same HTTP port.
 *
 * <pre>{@code
 * try (Analytics analytics = Analytics.builder().httpPort(8090).tcpPort(8091).store(dir.resolve("analytics.duckdb")).start()) {
 *     System.out.println(analytics.dashboardUrl());
 * }
 * }</pre>
 */
public final class Analytics implements AutoCloseable {
    /** The window the dashboard shows and the rollups keep. */
    public static final WindowSpec SECOND = WindowSpec.tumbling(Duration.ofSeconds(1));
    /** A sliding window for recent trends. */
    public static final WindowSpec TEN_SECONDS = WindowSpec.hopping(Duration.ofSeconds(10), Duration.ofSeconds(1));
    /** How late an event may come and still count on time, by default; a window's final result waits that long after its end. */
    public static final Duration DEFAULT_OUT_OF_ORDERNESS = Duration.ofMillis(500);
    /** Wall-clock silence after which a source no longer holds windows back, by default. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(1);
    /** How often settled rollups are downsampled and old ones dropped. */
    public static final int COMPACTION_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(Analytics.class);

    private final Vertx vertx;
    private final AnalyticsStore store;
    private final RollupWriter rollups;
    private final Dashboard dashboard;
    private final PartitionedEngine engine;
    private final IngestServer ingest;
    private final HttpServer http;
    private final String host;
    private final int tcpPort;
    private final ScheduledExecutorService compaction;
    private boolean closed;

    private Analytics(Builder b) throws Exception {
        host = b.host;
        vertx = Vertx.vertx();
        AnalyticsStore opened = null;
        RollupWriter writer = null;
        Dashboard shown = null;
        PartitionedEngine started = null;
        IngestServer listening = null;
        try {
            opened = b.store == null ? AnalyticsStore.inMemory(Retention.DEFAULTS) : AnalyticsStore.open(b.store, Retention.DEFAULTS);
            writer = new RollupWriter(opened, RollupWriter.DEFAULT_QUEUE_CAPACITY);
            shown = new Dashboard(vertx, SECOND.name(), b.service);
            WindowSink toStoreAndPage = fanOut(fanOut(writer, shown), b.tap);
            started = PartitionedEngine.builder().windows(SECOND, TEN_SECONDS).outOfOrderness(b.outOfOrderness)
                    .idleTimeout(b.idleTimeout).sink(toStoreAndPage).build().start();
            listening = IngestServer.builder().vertx(vertx).host(host).sink(started).tcpPort(b.tcpPort).build();
            tcpPort = listening.start().tcp();
            Router router = Router.router(vertx);
            shown.mount(router);
            router.post("/events").handler(listening.eventsHandler());
            http = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(b.httpPort)).requestHandler(router)
                    .listen().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            closeAll(listening, started, shown, writer, opened, vertx);
            throw e;
        }
        store = opened;
        compaction = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("analytics-compaction").daemon().factory());
        compaction.scheduleWithFixedDelay(this::compact, COMPACTION_SECONDS, COMPACTION_SECONDS, TimeUnit.SECONDS);
        rollups = writer;
        dashboard = shown;
        engine = started;
        ingest = listening;
    }

    private void compact() {
        try {
            store.compact(System.currentTimeMillis());
        } catch (Exception e) {
            LOG.warn("rollup compaction failed (tried again in {} s): {}", COMPACTION_SECONDS, e.toString());
        }
    }

    private static WindowSink fanOut(WindowSink first, WindowSink second) {
        return result -> {
            first.accept(result);
            second.accept(result);
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Where in-process publishers (the shop's orders) hand their events, with the engine's back-pressure. */
    public EventSink events() {
        return engine;
    }

    public PartitionedEngine engine() {
        return engine;
    }

    public AnalyticsStore store() {
        return store;
    }

    public IngestServer ingest() {
        return ingest;
    }

    public String dashboardUrl() {
        return "http://" + host + ":" + http.actualPort() + "/dashboard";
    }

    public int httpPort() {
        return http.actualPort();
    }

    /** The port taking binary frames ({@link dev.headroom.analytics.ingest.FrameEncoder}). */
    public int tcpPort() {
        return tcpPort;
    }

    /** Stops taking events, drains the engine, writes the rollups it had, closes the store. Once; later calls do nothing. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        compaction.shutdown(); // a compaction under way finishes: interrupted, DuckDB would abandon it mid-statement
        if (!compaction.awaitTermination(60, TimeUnit.SECONDS)) {
            LOG.warn("rollup compaction still running after 60 s; closing the store under it");
        }
        http.close().await(10, TimeUnit.SECONDS);
        closeAll(ingest, engine, dashboard, rollups, store, vertx);
    }

    private static void closeAll(IngestServer ingest, PartitionedEngine engine, Dashboard dashboard, RollupWriter rollups,
                                 AnalyticsStore store, Vertx vertx) throws Exception {
        if (ingest != null) {
            ingest.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
        if (rollups != null) {
            rollups.close();
        }
        if (store != null) {
            store.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Configures the pipeline; every setter checks its value at once. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int httpPort = 0;
        private int tcpPort = 0;
        private Path store;
        private Supplier<ServiceFigures> service = () -> ServiceFigures.NONE;
        private Duration outOfOrderness = DEFAULT_OUT_OF_ORDERNESS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private WindowSink tap = result -> { };

        private Builder() {
        }

        /** Also tells {@code sink} of every window result (after the rollups and the dashboard): to watch or measure. */
        public Builder tap(WindowSink sink) {
            this.tap = Objects.requireNonNull(sink, "tap");
            return this;
        }

        public Builder host(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must be an address to bind, e.g. 127.0.0.1, was " + host);
            }
            this.host = host;
            return this;
        }

        /** The dashboard's and {@code POST /events}' port; 0 (the default) for any free one. */
        public Builder httpPort(int port) {
            this.httpPort = port(port, "httpPort");
            return this;
        }

        /** The binary frames' port; 0 (the default) for any free one. */
        public Builder tcpPort(int port) {
            this.tcpPort = port(port, "tcpPort");
            return this;
        }

        /** The DuckDB file for rollups (created when missing); default in memory, gone at close. */
        public Builder store(Path file) {
            this.store = Objects.requireNonNull(file, "store file");
            return this;
        }

        /** The figures of the service the dashboard's service panel shows (p99 per route, cache hit ratio). */
        public Builder service(Supplier<ServiceFigures> service) {
            this.service = Objects.requireNonNull(service, "service figures");
            return this;
        }

        /**
         * How late an event may come and still count on time (default 500 ms); also how long after its end a
         * window waits before its final result.
         */
        public Builder outOfOrderness(Duration d) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("outOfOrderness must not be negative, was " + d);
            }
            this.outOfOrderness = d;
            return this;
        }

        /** Wall-clock silence after which a source no longer holds windows back (default 1 s). */
        public Builder idleTimeout(Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("idleTimeout must be positive, was " + d);
            }
            this.idleTimeout = d;
            return this;
        }

        public Analytics start() throws Exception {
            return new Analytics(this);
        }

        private static int port(int port, String name) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException(name + " must be between 0 (any free port) and 65535, was " + port);
            }
            return port;
        }
    }
}
