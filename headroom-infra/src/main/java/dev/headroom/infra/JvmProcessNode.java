package dev.headroom.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A service node in its own JVM ({@link JvmNodeSpec}), started with the running JVM's {@code java}, its output
 * appended to its log, ready when the health path answers 200. Stop is SIGTERM (the service's shutdown hook
 * drains in-flight requests), then SIGKILL after {@link ServerProcesses#STOP_WAIT}.
 */
final class JvmProcessNode extends ProcessNode {

    private static final Duration POLL = Duration.ofMillis(50);

    private final JvmNodeSpec spec;
    private final ServiceNode endpoint;

    // guarded by this
    private Process process;

    JvmProcessNode(JvmNodeSpec spec, int port, Path log, Consumer<String> progress) {
        super(spec.name(), spec.kind(), port, log, spec.name(), progress);
        this.spec = spec;
        this.endpoint = new ServiceNode(spec.name(), spec.kind(), host(), port);
    }

    ServiceNode endpoint() {
        return endpoint;
    }

    @Override
    synchronized ProcessHandle launch() {
        long started = System.nanoTime();
        Path log = log().orElseThrow();
        List<String> command = new ArrayList<>();
        if (spec.niceness() > 0) {
            command.addAll(List.of("nice", "-n", Integer.toString(spec.niceness()))); // nice execs java: the pid stays the JVM's
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(spec.jvmOptions());
        command.add("-cp");
        command.add(spec.classpath());
        command.add(spec.mainClass());
        String port = Integer.toString(port());
        spec.args().forEach(arg -> command.add(arg.replace("{port}", port)));
        progress().accept(label() + ": starting " + spec.mainClass() + " on " + address());
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(spec.environment());
            process = builder.start();
        } catch (IOException e) {
            throw new InfraException(LogTail.failureMessage(label(), e.toString(), log), e);
        }
        String health = endpoint.url() + spec.healthPath();
        long deadline = started + spec.startupWait().toNanos();
        while (!Probes.http(health, Duration.ofSeconds(1))) {
            if (!process.isAlive()) {
                throw new InfraException(LogTail.failureMessage(label(), "the JVM exited with code " + process.exitValue(), log));
            }
            if (System.nanoTime() > deadline) {
                shutDown();
                throw new InfraException(LogTail.failureMessage(label(), "GET " + health + " did not answer 200 within "
                        + spec.startupWait().toSeconds() + " s", log));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                shutDown();
                throw new InfraException(label() + ": interrupted while waiting for the node to start");
            }
        }
        progress().accept(label() + ": ready on " + address() + " (pid " + process.pid() + ") in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return process.toHandle();
    }

    @Override
    synchronized void shutDown() {
        process.destroy();
        try {
            if (!process.waitFor(ServerProcesses.STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                ServerProcesses.killTree(process.toHandle());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ServerProcesses.killTree(process.toHandle());
        }
        process = null;
    }

    @Override
    synchronized void afterKill() {
        process = null;
    }

    @Override
    public boolean healthy(Duration timeout) {
        return Probes.http(endpoint.url() + spec.healthPath(), timeout);
    }
}
