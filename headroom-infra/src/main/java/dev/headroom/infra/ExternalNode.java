package dev.headroom.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** A server given by URL: Infra checked that it answers and names it, but does not own its process. */
final class ExternalNode implements Node {

    private final String name;
    private final NodeKind kind;
    private final String host;
    private final int port;
    private final Predicate<Duration> probe;

    ExternalNode(String name, NodeKind kind, String host, int port, Predicate<Duration> probe) {
        this.name = name;
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.probe = probe;
    }

    static ExternalNode of(PostgresNode node) {
        return new ExternalNode(node.name(), NodeKind.PRIMARY, node.host(), node.port(), timeout -> Probes.postgres(node, timeout));
    }

    static ExternalNode of(RedisNode node) {
        return new ExternalNode(node.name(), NodeKind.REDIS, node.host(), node.port(), timeout -> Probes.redis(node.host(), node.port(), timeout));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public NodeKind kind() {
        return kind;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean embedded() {
        return false;
    }

    @Override
    public Optional<Long> pid() {
        return Optional.empty();
    }

    @Override
    public NodeState state() {
        return NodeState.RUNNING;
    }

    @Override
    public Optional<Path> log() {
        return Optional.empty();
    }

    @Override
    public boolean healthy(Duration timeout) {
        return probe.test(timeout);
    }

    /** Nothing to stop: the server is not ours. */
    @Override
    public void stop() {
    }

    @Override
    public void kill() {
        throw notOurs("killed");
    }

    @Override
    public void freeze() {
        throw notOurs("frozen");
    }

    @Override
    public void thaw() {
        throw notOurs("thawed");
    }

    @Override
    public void nice(int niceness) {
        throw notOurs("reniced");
    }

    @Override
    public void restart() {
        throw notOurs("restarted");
    }

    private IllegalStateException notOurs(String what) {
        return new IllegalStateException(name + " runs elsewhere (an external server at " + address() + "); only embedded nodes can be " + what);
    }

    @Override
    public String toString() {
        return announcement();
    }
}
