package dev.headroom.experiments.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server the lab runs as a process of its own (nginx, HAProxy, the edge's JVM), in the foreground so that it is
 * this process's child and dies with {@link #close()}: its output goes to a log in its folder, it is ready when its
 * port accepts connections, and a start that fails says why with the log's last lines.
 */
public final class ServerProcess implements AutoCloseable {
    static final Duration START_WAIT = Duration.ofSeconds(20);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Runs {@code command} (prefixed by {@code pin}) and waits until 127.0.0.1:{@code port} accepts a connection.
     *
     * @throws IllegalStateException if it exits or does not listen within {@link #START_WAIT}
     */
    public static ServerProcess start(String name, List<String> pin, List<String> command, int port, Path folder) throws IOException, InterruptedException {
        Path log = folder.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "-") + ".log");
        List<String> full = new ArrayList<>(pin);
        full.addAll(command);
        Process process = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ServerProcess server = new ServerProcess(name, process, port, log);
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " at start (" + String.join(" ", full)
                        + "): " + server.tail());
            }
            if (System.nanoTime() > deadline) {
                server.close();
                throw new IllegalStateException(name + " did not listen on port " + port + " within " + START_WAIT.toSeconds() + " s: " + server.tail());
            }
            Thread.sleep(20);
        }
        return server;
    }

    /** A port free now on 127.0.0.1 (another process could take it before the server binds it; rare on a lab machine). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** The last lines of the log, joined, for a message. */
    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(its log " + log + " is empty)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(cannot read its log " + log + ": " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (nginx and HAProxy stop at once, the JVM runs its hooks), then SIGKILL after {@link #STOP_WAIT}. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", port " + port + ")";
    }
}
