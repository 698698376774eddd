package dev.headroom.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An embedded PostgreSQL primary or shard ({@link PostgresServer}) as a {@link Node}; {@link ReplicaProcessNode}
 * adds what a streaming replica needs before each start.
 */
class PostgresProcessNode extends ProcessNode {

    private final Path dataDir;
    private final String shownDataDir;
    private final boolean durable;
    private final Map<String, String> settings;
    private final PostgresNode endpoint;

    // guarded by this
    private PostgresServer server;

    PostgresProcessNode(String name, NodeKind kind, String label, Path dataDir, String shownDataDir, Path log, int port,
                        boolean durable, Map<String, String> settings, Consumer<String> progress) {
        super(name, kind, port, log, label, progress);
        this.dataDir = dataDir;
        this.shownDataDir = shownDataDir;
        this.durable = durable;
        this.settings = Map.copyOf(settings);
        this.endpoint = new PostgresNode(name, host(), port, PostgresServer.DATABASE, PostgresServer.USER, null, true);
    }

    PostgresNode endpoint() {
        return endpoint;
    }

    @Override
    synchronized ProcessHandle launch() {
        // After a kill the pid file names a dead process; a reused pid must not make postgres refuse to start.
        PostgresServer.stopLeftOver(label(), dataDir, progress());
        prepare();
        server = PostgresServer.start(label(), dataDir, shownDataDir, log().orElseThrow(), port(), durable, settings, progress());
        return server.postmaster();
    }

    /** Called before each start, once no server runs in the data directory: a replica makes or checks its data. */
    void prepare() {
    }

    final Path dataDir() {
        return dataDir;
    }

    @Override
    synchronized void shutDown() {
        server.stop();
        server = null;
    }

    @Override
    synchronized void afterKill() {
        server.releaseAfterKill();
        server = null;
    }

    @Override
    public boolean healthy(Duration timeout) {
        return Probes.postgres(endpoint, timeout);
    }
}
