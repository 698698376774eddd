package dev.headroom.edge.proxy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The edge: an HTTP/1.1 reverse proxy on Vert.x in front of clusters of backends, one listener per event loop on the
 * same port, and the admin API on a port of its own.
 *
 * <pre>{@code
 * EdgeServer edge = EdgeServer.start(EdgeConfig.builder().port(8080)
 *         .cluster(ClusterSpec.of("shop", List.of(Backend.parse("http://127.0.0.1:8081")), Algorithm.PEAK_EWMA, null))
 *         .build(), System.out::println);
 * }</pre>
 */
public final class EdgeServer implements AutoCloseable {
    private final Vertx vertx;
    private final Map<String, Cluster> clusters;
    private final int port;
    private final int adminPort;
    private final String adminToken;
    private final String host;
    private final ProxyHandler proxy;

    private EdgeServer(Vertx vertx, Map<String, Cluster> clusters, ProxyHandler proxy, String host, int port, int adminPort,
                       String adminToken) {
        this.vertx = vertx;
        this.proxy = proxy;
        this.clusters = clusters;
        this.host = host;
        this.port = port;
        this.adminPort = adminPort;
        this.adminToken = adminToken;
    }

    /**
     * Starts the clusters' health checks and the listeners; returns once both ports accept connections.
     *
     * @param log gets health changes (ejections, returns) as lines
     * @throws IllegalStateException if a port cannot be bound (with the reason)
     */
    public static EdgeServer start(EdgeConfig config, Consumer<String> log) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops).setPreferNativeTransport(true));
        Map<String, Cluster> clusters = new LinkedHashMap<>();
        try {
            config.clusters.values().forEach(spec -> clusters.put(spec.name(), new Cluster(vertx, spec, config, log)));
            ProxyHandler proxy = new ProxyHandler(config.routes, clusters, config);
            HttpServerOptions options = new HttpServerOptions().setHost(config.host).setTcpNoDelay(true).setHttp2ClearTextEnabled(false)
                    .setMaxHeaderSize(config.maxHeaderBytes).setMaxInitialLineLength(config.maxHeaderBytes)
                    .setIdleTimeout((int) config.clientIdleTimeout.toMillis()).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setHandle100ContinueAutomatically(true).setCompressionSupported(false).setDecompressionSupported(false);
            // Listeners of one Vert.x on the same host and port share one socket (connections go round the event
            // loops), with or without SO_REUSEPORT; port 0 is first resolved to one free port, so that all share it.
            int port = config.port != 0 || config.eventLoops == 1 ? config.port : freePort(config.host);
            AtomicInteger bound = new AtomicInteger(port);
            await(vertx.deployVerticle(() -> new Listener(options, proxy, bound), new DeploymentOptions().setInstances(config.eventLoops)),
                    "port " + port);
            String token = config.adminToken != null ? config.adminToken : HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            HttpServer admin = await(vertx.createHttpServer(new HttpServerOptions().setHost(config.host))
                    .requestHandler(new AdminApi(clusters, proxy, token)).listen(config.adminPort), "admin port " + config.adminPort);
            return new EdgeServer(vertx, clusters, proxy, config.host, bound.get(), admin.actualPort(), token);
        } catch (RuntimeException e) {
            clusters.values().forEach(Cluster::close);
            vertx.close();
            throw e;
        }
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return probe.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot find a free port on " + host + ": " + e.getMessage(), e);
        }
    }

    /** One event loop's listener. */
    private static final class Listener extends VerticleBase {
        private final HttpServerOptions options;
        private final ProxyHandler proxy;
        private final AtomicInteger port;

        Listener(HttpServerOptions options, ProxyHandler proxy, AtomicInteger port) {
            this.options = options;
            this.proxy = proxy;
            this.port = port;
        }

        @Override
        public Future<?> start() {
            return vertx.createHttpServer(options).requestHandler(proxy).listen(port.get()).onSuccess(s -> port.set(s.actualPort()));
        }
    }

    private static <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot listen on " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot listen on " + what + ": no answer within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting to listen on " + what, e);
        }
    }

    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    public String adminToken() {
        return adminToken;
    }

    /** {@code http://HOST:PORT}, where clients connect. */
    public String url() {
        return "http://" + host + ":" + port;
    }

    public String adminUrl() {
        return "http://" + host + ":" + adminPort;
    }

    /** Adds a backend to a cluster, healthy and slow-starting. */
    public void add(String cluster, Backend backend) {
        cluster(cluster).add(backend);
    }

    /** Removes a backend at once; false if the cluster has none with this id. */
    public boolean remove(String cluster, String backendId) {
        return cluster(cluster).remove(backendId);
    }

    /** The backends' ids of a cluster and their states, e.g. {@code node-1=healthy}. */
    public List<String> states(String cluster) {
        return cluster(cluster).health.status().stream().map(s -> s.id() + "=" + s.state().name().toLowerCase(java.util.Locale.ROOT)).toList();
    }

    /** Tries sent to each backend of a cluster so far (answered or failed), by backend id, in the order added. */
    public Map<String, Long> requests(String cluster) {
        Map<String, Long> counts = new LinkedHashMap<>();
        cluster(cluster).upstreams().forEach(u -> counts.put(u.backend.id(), u.requests()));
        return counts;
    }

    /** The Prometheus text {@code GET /metrics} answers. */
    public String metrics() {
        return EdgeMetrics.render(clusters.values(), proxy);
    }

    private Cluster cluster(String name) {
        Cluster c = clusters.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no cluster '" + name + "'; the clusters are " + String.join(", ", clusters.keySet()));
        }
        return c;
    }

    /** Stops listening, health checks and pools; requests in flight fail. */
    @Override
    public void close() {
        clusters.values().forEach(Cluster::close);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the event loops are daemon threads
        }
    }
}
