package dev.headroom.infra;

import redis.embedded.RedisExecProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded Redis server: the redis-server 7.0.15 binary shipped in {@code org.signal:embedded-redis} 0.9.1,
 * run directly with a config file in the data directory.
 *
 * <p>Why not embedded-redis's {@code RedisServer}: its {@code start()} waits for "Ready to accept connections" on
 * redis-server's stdout, and with a {@code logfile} setting Redis writes that line to the file instead, so
 * {@code start()} blocks until the server dies. Without a logfile the log is lost anyway, because it closes the
 * stdout pipe once the server is ready. It also registers a JVM shutdown hook per start that cannot be turned
 * off, which would defeat {@code stopOnShutdown(false)}. Only its binary and {@link RedisExecProvider} are used.
 *
 * <p>Readiness is a PING answered with +PONG, not a log line. The lock file {@code redis.lock} in the data
 * directory is held for as long as the server runs.
 */
final class RedisProcess {

    static final String EXECUTABLE = "redis-server";
    static final String LOCK_FILE = "redis.lock";
    static final String PID_FILE = "redis.pid";
    static final String CONF_FILE = "redis.conf";
    static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final int BUSY_ATTEMPTS = 10;

    private static Path binary;

    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    int port() {
        return port;
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Takes the data directory's lock; the caller closes the returned channel when the server has stopped. */
    static FileChannel claim(Path dataDir) {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        FileChannel lock;
        try {
            Files.createDirectories(dataDir);
            lock = DataDirs.lock(lockFile);
        } catch (IOException e) {
            throw new InfraException("redis: could not lock " + lockFile + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            throw new InfraException(DataDirs.inUseMessage("redis", dataDir, lockFile));
        }
        return lock;
    }

    static void stopLeftOver(Path dataDir, Consumer<String> log) {
        ServerProcesses.stopLeftOver("redis", dataDir.resolve(PID_FILE), EXECUTABLE, dataDir, log);
    }

    /**
     * @param dataDir absolute data directory (Redis's {@code dir}: AOF and RDB files, pid file)
     * @param shown   the data directory as the user gave it, for messages
     * @param durable AOF with fsync every second; otherwise no persistence at all
     */
    static RedisProcess start(Path dataDir, String shown, Path logFile, int port, boolean durable, Consumer<String> log) {
        long started = System.nanoTime();
        log.accept("redis: starting on " + Ports.LOOPBACK.getHostAddress() + ":" + port + " (data " + shown + ")");
        Path conf = dataDir.resolve(CONF_FILE);
        Process process;
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(conf, config(dataDir, logFile, port, durable), StandardCharsets.UTF_8);
            process = startWhenNotBusy(new ProcessBuilder(binary().toString(), conf.toString())
                    .directory(dataDir.toFile())
                    .redirectErrorStream(true)
                    // Errors before the config is read (and the logfile opened) go to stdout.
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())));
        } catch (IOException | RuntimeException e) {
            throw new InfraException(LogTail.failureMessage("redis", e.toString(), logFile), e);
        }

        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        String lastAnswer = "no answer";
        while (true) {
            if (!process.isAlive()) {
                throw new InfraException(LogTail.failureMessage("redis", "redis-server exited with code " + process.exitValue(), logFile));
            }
            try {
                lastAnswer = ping(Ports.LOOPBACK.getHostAddress(), port, Duration.ofMillis(500));
                if (lastAnswer.equals("+PONG")) {
                    break;
                }
            } catch (IOException e) {
                lastAnswer = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                stopProcess(process);
                throw new InfraException(LogTail.failureMessage("redis", "no PONG within " + STARTUP_WAIT.toSeconds()
                        + " s (last answer: " + lastAnswer + ")", logFile));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopProcess(process);
                throw new InfraException("redis: interrupted while waiting for the server to start");
            }
        }
        log.accept("redis: ready on " + Ports.LOOPBACK.getHostAddress() + ":" + port + " (pid " + process.pid() + ") in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return new RedisProcess(process, port);
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM (Redis flushes AOF/RDB and removes its pid file), then SIGKILL after {@link ServerProcesses#STOP_WAIT}. */
    void stop() {
        stopProcess(process);
    }

    /**
     * Sends an inline PING and returns the first line of the answer: {@code +PONG}, or an error such as
     * {@code -LOADING ...} or {@code -NOAUTH ...}.
     */
    static String ping(String host, int port, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            if (line.isEmpty()) {
                throw new IOException("connection closed without an answer");
            }
            return line.toString();
        }
    }

    static String config(Path dataDir, Path logFile, int port, boolean durable) {
        StringBuilder conf = new StringBuilder()
                .append("# Written by headroom-infra at every start; edits are overwritten.\n")
                .append("port ").append(port).append('\n')
                .append("bind ").append(Ports.LOOPBACK.getHostAddress()).append('\n')
                .append("protected-mode yes\n")
                .append("daemonize no\n")
                .append("dir ").append(quote(dataDir.toString())).append('\n')
                .append("pidfile ").append(quote(dataDir.resolve(PID_FILE).toString())).append('\n')
                .append("logfile ").append(quote(logFile.toString())).append('\n');
        if (durable) {
            conf.append("appendonly yes\n").append("appendfsync everysec\n");
        } else {
            conf.append("appendonly no\n").append("save \"\"\n");
        }
        return conf.toString();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Extracted once per JVM; embedded-redis copies it to a fresh temporary directory on every call. */
    /**
     * Starts {@code builder}, retrying while exec fails with ETXTBSY. The binary was just extracted, and a process
     * another thread forked meanwhile (postgres starts in parallel) holds a copy of the extracting descriptor
     * until its own exec closes it: a window of milliseconds in which exec of the binary fails "Text file busy".
     */
    static Process startWhenNotBusy(ProcessBuilder builder) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return builder.start();
            } catch (IOException e) {
                if (attempt == BUSY_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("Text file busy")) {
                    throw e;
                }
            }
            try {
                Thread.sleep(20L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + builder.command().get(0) + " to be free", e);
            }
        }
    }

    private static synchronized Path binary() throws IOException {
        if (binary == null || !Files.isExecutable(binary)) {
            binary = RedisExecProvider.defaultProvider().get().toPath();
        }
        return binary;
    }

    private static void stopProcess(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(ServerProcesses.STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
