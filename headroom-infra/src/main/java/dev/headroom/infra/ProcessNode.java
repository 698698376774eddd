package dev.headroom.infra;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The lifecycle shared by every process an {@link Infra} starts: the state machine of {@link Node}, signals to
 * the process tree, and progress lines. Subclasses say how to launch, shut down and probe their server.
 */
abstract class ProcessNode implements Node {

    private final String name;
    private final NodeKind kind;
    private final int port;
    private final Path log;
    /** How progress lines name the node: {@code postgres} and {@code redis} for the default pair, else the name. */
    private final String label;
    private final Consumer<String> progress;

    // guarded by this
    private ProcessHandle process;
    private NodeState state = NodeState.STOPPED;

    ProcessNode(String name, NodeKind kind, int port, Path log, String label, Consumer<String> progress) {
        this.name = Objects.requireNonNull(name);
        this.kind = Objects.requireNonNull(kind);
        this.port = port;
        this.log = Objects.requireNonNull(log);
        this.label = Objects.requireNonNull(label);
        this.progress = Objects.requireNonNull(progress);
    }

    /** Starts the server, waits until it answers, and returns its (top) process. Throws {@link InfraException}. */
    abstract ProcessHandle launch();

    /** Orderly shutdown of the running server; kills it if it does not stop in time. */
    abstract void shutDown();

    /** Called once the process tree is gone after {@link #kill()}: lets go of what this JVM holds for it. */
    void afterKill() {
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final NodeKind kind() {
        return kind;
    }

    @Override
    public final String host() {
        return Ports.LOOPBACK.getHostAddress();
    }

    @Override
    public final int port() {
        return port;
    }

    @Override
    public final boolean embedded() {
        return true;
    }

    @Override
    public final synchronized Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    @Override
    public final synchronized NodeState state() {
        return state;
    }

    @Override
    public final Optional<Path> log() {
        return Optional.of(log);
    }

    final String label() {
        return label;
    }

    final Consumer<String> progress() {
        return progress;
    }

    /** The first start; {@link Infra} calls it once. */
    final synchronized void start() {
        process = launch();
        state = NodeState.RUNNING;
    }

    @Override
    public final synchronized void stop() {
        if (state == NodeState.STOPPED || state == NodeState.KILLED) {
            return;
        }
        if (state == NodeState.FROZEN) {
            ServerProcesses.signalTree(process, "CONT");
        }
        try {
            shutDown();
            progress.accept(label + ": stopped");
        } catch (RuntimeException e) {
            progress.accept(label + ": could not stop cleanly: " + e.getMessage());
        } finally {
            process = null;
            state = NodeState.STOPPED;
        }
    }

    @Override
    public final synchronized void kill() {
        requireLive("kill");
        long pid = process.pid();
        ServerProcesses.killTree(process);
        afterKill();
        process = null;
        state = NodeState.KILLED;
        progress.accept(label + ": killed (pid " + pid + ")");
    }

    @Override
    public final synchronized void freeze() {
        if (state != NodeState.RUNNING) {
            throw new IllegalStateException(name + " must be running to be frozen, was " + state);
        }
        ServerProcesses.signalTree(process, "STOP");
        state = NodeState.FROZEN;
        progress.accept(label + ": frozen (SIGSTOP, pid " + process.pid() + ")");
    }

    @Override
    public final synchronized void nice(int niceness) {
        if (niceness < 1 || niceness > 19) {
            throw new IllegalArgumentException("niceness must be between 1 and 19, was " + niceness);
        }
        if (state != NodeState.RUNNING) {
            throw new IllegalStateException(name + " must be running to be reniced, was " + state);
        }
        ServerProcesses.renice(process, niceness);
        progress.accept(label + ": niced to " + niceness + " (pid " + process.pid() + ")");
    }

    @Override
    public final synchronized void thaw() {
        if (state != NodeState.FROZEN) {
            throw new IllegalStateException(name + " must be frozen to be thawed, was " + state);
        }
        ServerProcesses.signalTree(process, "CONT");
        state = NodeState.RUNNING;
        progress.accept(label + ": thawed (SIGCONT, pid " + process.pid() + ")");
    }

    @Override
    public final synchronized void restart() {
        if (state == NodeState.RUNNING && !process.isAlive()) {
            // It crashed: nothing is left to stop in order (pg_ctl stop of a dead postmaster fails loudly), only to let go of.
            afterKill();
            process = null;
            state = NodeState.KILLED;
        }
        stop();
        process = launch();
        state = NodeState.RUNNING;
    }

    private void requireLive(String action) {
        if (state != NodeState.RUNNING && state != NodeState.FROZEN) {
            throw new IllegalStateException(name + " must be running or frozen to " + action + ", was " + state);
        }
    }

    @Override
    public String toString() {
        return announcement();
    }
}
