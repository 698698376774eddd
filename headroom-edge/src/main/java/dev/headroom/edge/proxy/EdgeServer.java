package dev.headroom.edge.proxy;

import dev.headroom.edge.auth.AdminToken;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The edge: an HTTP/1.1 reverse proxy in front of clusters of backends, and its admin API on a port of its own.
 * Requests are proxied on Netty event loops (epoll where it loads), each client connection and the backend
 * connections it uses on one loop, the decoded request's headers rewritten in place and sent on; the admin API is a
 * small Vert.x server.
 *
 * <pre>{@code
 * EdgeServer edge = EdgeServer.start(EdgeConfig.builder().port(8080)
 *         .cluster(ClusterSpec.of("shop", List.of(Backend.parse("http://127.0.0.1:8081")), Algorithm.PEAK_EWMA, null))
 *         .build(), System.out::println);
 * }</pre>
 */
public final class EdgeServer implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup loops;
    private final Channel listener;
    private final Vertx admin;
    private final Map<String, Cluster> clusters;
    private final Router router;
    private final String host;
    private final int port;
    private final int adminPort;
    private final String adminToken;

    private EdgeServer(MultiThreadIoEventLoopGroup loops, Channel listener, Vertx admin, Map<String, Cluster> clusters, Router router,
                       String host, int port, int adminPort, String adminToken) {
        this.loops = loops;
        this.listener = listener;
        this.admin = admin;
        this.clusters = clusters;
        this.router = router;
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
        MultiThreadIoEventLoopGroup loops = Transport.group(config.eventLoops);
        Vertx admin = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        Map<String, Cluster> clusters = new LinkedHashMap<>();
        Router router = null;
        try {
            config.clusters.values().forEach(spec -> clusters.put(spec.name(), new Cluster(spec, config, log)));
            router = new Router(config.routes, clusters, config);
            Channel listener = listen(loops, config, router);
            AdminToken token = config.adminToken != null ? AdminToken.of(config.adminToken) : AdminToken.random();
            HttpServer adminServer = await(admin.createHttpServer(new HttpServerOptions().setHost(config.host))
                    .requestHandler(new AdminApi(clusters, router, token)).listen(config.adminPort), "admin port " + config.adminPort);
            return new EdgeServer(loops, listener, admin, clusters, router, config.host,
                    ((InetSocketAddress) listener.localAddress()).getPort(), adminServer.actualPort(), token.value());
        } catch (RuntimeException e) {
            if (router != null && router.limiter != null) {
                router.limiter.close(); // its Redis connection, when the limits are shared
            }
            clusters.values().forEach(Cluster::close);
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            admin.close();
            throw e;
        }
    }

    private static Channel listen(MultiThreadIoEventLoopGroup loops, EdgeConfig config, Router router) {
        ServerBootstrap b = new ServerBootstrap().group(loops).channel(Transport.server())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(config.maxHeaderBytes, config.maxHeaderBytes, 64 * 1024),
                                new HttpServerExpectContinueHandler())
                                .addLast("frontend", new Frontend(router));
                        router.guard.install(ch, "frontend"); // header, body and keep-alive timeouts; refused past a limit
                    }
                });
        // one listening socket; each accepted connection is given to the next event loop, for its whole life
        return bind(b, config.host, config.port);
    }

    private static Channel bind(ServerBootstrap b, String host, int port) {
        try {
            return b.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting to listen on port " + port, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen on port " + port + " of " + host + ": " + e.getMessage(), e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future, String what) {
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
        return cluster(cluster).health.status().stream().map(s -> s.id() + "=" + s.state().name().toLowerCase(Locale.ROOT)).toList();
    }

    /** Tries sent to each backend of a cluster so far (answered or failed), by backend id, in the order added. */
    public Map<String, Long> requests(String cluster) {
        Map<String, Long> counts = new LinkedHashMap<>();
        cluster(cluster).upstreams().forEach(u -> counts.put(u.backend.id(), u.requests()));
        return counts;
    }

    /** The Prometheus text {@code GET /metrics} answers. */
    public String metrics() {
        return EdgeMetrics.render(clusters.values(), router);
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
        listener.close();
        clusters.values().forEach(Cluster::close);
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (router.limiter != null) {
            router.limiter.close();
        }
        try {
            admin.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway: the event loops are daemon threads
        }
    }
}
