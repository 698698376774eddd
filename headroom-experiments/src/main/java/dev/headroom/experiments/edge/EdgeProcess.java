package dev.headroom.experiments.edge;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.Backend;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge in a JVM of its own, so that it can be pinned to a CPU like nginx and HAProxy: one event loop, round
 * robin, no active checks, no slow start, in front of the backend URLs given. Started by {@link #start} with the
 * lab's own java and class path; it runs until its standard input closes (the lab ending, however it ends) or it
 * is sent SIGTERM.
 */
public final class EdgeProcess {
    /**
     * A modest heap, fixed so that its growth is no part of a round; and on JDK 23+ Netty's use of Unsafe allowed, as
     * the launcher does (without it Netty falls back to checked buffer access, a fifth of the proxying time).
     */
    static final List<String> JVM_OPTIONS = Runtime.version().feature() >= 23
            ? List.of("-Xms256m", "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC", "--sun-misc-unsafe-memory-access=allow")
            : List.of("-Xms256m", "-Xmx256m", "-Xss512k", "-XX:+UseSerialGC");

    private EdgeProcess() {
    }

    /** {@code PORT BACKEND_URL...} */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        List<Backend> backends = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            backends.add(Backend.parse(args[i]));
        }
        EdgeServer edge = EdgeServer.start(config(port, backends, Algorithm.ROUND_ROBIN), System.out::println);
        System.out.println("ready " + edge.url());
        System.out.flush();
        while (System.in.read() >= 0) {
            // nothing to read: waiting for the lab to go away
        }
        edge.close();
    }

    /** The edge as the lab measures it: one event loop, {@code algorithm}, no active checks, no slow start. */
    static EdgeConfig config(int port, List<Backend> backends, Algorithm algorithm) {
        return EdgeConfig.builder().port(port).eventLoops(1)
                .cluster(new ClusterSpec(EdgeLab.CLUSTER, backends, algorithm, null, null, Duration.ZERO)).build();
    }

    /** Starts the edge's JVM on {@code port}, pinned by {@code pin}, and waits until it listens. */
    static ServerProcess start(int port, String backend, List<String> pin, Path folder) throws IOException, InterruptedException {
        return ServerProcess.start("headroom-edge", pin, java(EdgeProcess.class, List.of(Integer.toString(port), backend)), port, folder);
    }

    /** The command that runs {@code main} with {@code args} in a JVM of its own, with the lab's java, class path and {@link #JVM_OPTIONS}. */
    public static List<String> java(Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        // absolute: the process runs in its own folder, and `java -jar headroom.jar` gives the path as typed
        String classpath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        command.addAll(List.of("-cp", classpath, main.getName()));
        command.addAll(args);
        return command;
    }
}
