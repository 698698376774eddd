package dev.headroom.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One server process of a {@link Topology}, with the lifecycle every experiment and failure test needs: stop,
 * kill ({@code SIGKILL}), freeze ({@code SIGSTOP}) and thaw ({@code SIGCONT}), restart on the same data.
 * PostgreSQL, Redis and JVM service nodes share it; get one by name from {@link Infra#node(String)}.
 *
 * <p>Lifecycle calls apply to embedded nodes only: for an external server (given by URL) they throw
 * {@link IllegalStateException}. Each signal goes to the process and everything it started (a postmaster and
 * its backends), so a frozen PostgreSQL accepts no connection and answers no query.
 *
 * <p><b>Thread safety.</b> All methods may be called from any thread; lifecycle calls on one node are serialized.
 * Transitions: RUNNING → FROZEN (freeze) → RUNNING (thaw); RUNNING or FROZEN → KILLED (kill) or STOPPED (stop);
 * any → RUNNING (restart). A call that does not fit the state ({@code thaw} of a running node) throws
 * {@link IllegalStateException}; {@code stop} of a stopped node does nothing.
 */
public interface Node {

    String name();

    NodeKind kind();

    /** Host to connect to ({@code 127.0.0.1} for embedded nodes). */
    String host();

    int port();

    /** {@code host:port}, with an IPv6 host in brackets. */
    default String address() {
        return Urls.hostForUrl(host()) + ":" + port();
    }

    /** True if this Infra started the process and owns its lifecycle. */
    boolean embedded();

    /** The process id while running or frozen; empty for an external server and after a kill or stop. */
    Optional<Long> pid();

    NodeState state();

    /** The server's log file; empty for an external server. */
    Optional<Path> log();

    /**
     * Asks the server whether it serves now: {@code SELECT 1} for PostgreSQL, {@code PING} for Redis,
     * {@code GET} of the health path for a JVM node. False on no answer within {@code timeout}, never throws.
     */
    boolean healthy(Duration timeout);

    /** Orderly shutdown (thaws a frozen node first); does nothing when stopped or killed. */
    void stop();

    /** SIGKILL for the process and its children, as a crash would; returns when all are gone. */
    void kill();

    /** SIGSTOP for the process and its children: connections stay open, nothing is answered. */
    void freeze();

    /** SIGCONT after {@link #freeze()}. */
    void thaw();

    /**
     * Lowers the scheduling priority of every thread of the process and its children ({@code renice}, niceness 1 to
     * 19); threads and processes they start later inherit it. An experiment runs its servers niced so that its load
     * generator, on the same cores, keeps its schedule while the servers are saturated.
     */
    void nice(int niceness);

    /** Stops the node if it runs, then starts it again on the same port and data, and waits until it answers. */
    void restart();

    /** {@code KIND NAME ADDRESS pid PID}, e.g. {@code primary primary 127.0.0.1:15432 pid 4242}; an external server ends with {@code external}. */
    default String announcement() {
        return kind().label() + " " + name() + " " + address() + pid().map(pid -> " pid " + pid).orElse(embedded() ? " pid -" : " external");
    }
}
