package dev.headroom.experiments.overload;

import com.sun.net.httpserver.HttpServer;
import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.Backend;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.experiments.edge.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A rate-limited edge in a JVM of its own, with its backend (a JDK HTTP server answering 200 "ok") in the same JVM,
 * so that both can be pinned on the servers' CPU: one event loop, the limit given, its buckets in Redis when a URL
 * is given. Runs until its standard input closes (the lab ending) or SIGTERM.
 */
final class RateLimitedEdge {
    private RateLimitedEdge() {
    }

    /** {@code PORT ADMIN_PORT RATE [REDIS_URL]} */
    public static void main(String[] args) throws IOException {
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        byte[] ok = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        backend.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        backend.start();
        Backend b = new Backend("backend", URI.create("http://127.0.0.1:" + backend.getAddress().getPort()), 1);
        EdgeConfig.Builder config = EdgeConfig.builder().port(Integer.parseInt(args[0])).adminPort(Integer.parseInt(args[1])).eventLoops(1)
                .cluster(new ClusterSpec("default", List.of(b), Algorithm.ROUND_ROBIN, null, null, Duration.ZERO))
                .rateLimit("default", RateLimit.parse(args[2]));
        if (args.length > 3) {
            config.rateLimitRedis(args[3]);
        }
        EdgeServer edge = EdgeServer.start(config.build(), System.out::println);
        System.out.println("ready " + edge.url());
        System.out.flush();
        while (System.in.read() >= 0) {
            // waiting for the lab to go away
        }
        edge.close();
        backend.stop(0);
    }

    /** Starts one on free ports, pinned by {@code pin}; the limit's buckets in {@code redis} unless null. */
    static Started start(String rate, String redis, List<String> pin, Path folder, String name) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        int admin = ServerProcess.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms128m", "-Xmx128m", "-XX:+UseSerialGC"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow"); // as the launcher does: Netty's fast buffer access
        }
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        command.addAll(List.of("-cp", classpath, RateLimitedEdge.class.getName(), Integer.toString(port), Integer.toString(admin), rate));
        if (redis != null) {
            command.add(redis);
        }
        return new Started(ServerProcess.start(name, pin, command, port, folder), admin);
    }

    /** The edge's process and its admin port ({@code /metrics}). */
    record Started(ServerProcess process, int adminPort) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }
}
