package dev.headroom.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The embedded Redis ({@link RedisProcess}) as a {@link Node}. It holds the data directory's lock from the first
 * start until {@link #release()}, across kills and restarts, so no other process can take the directory meanwhile.
 */
final class RedisProcessNode extends ProcessNode {

    private final Path dataDir;
    private final String shownDataDir;
    private final boolean durable;
    private final RedisNode endpoint;
    private final FileChannel lock;

    // guarded by this
    private RedisProcess server;

    RedisProcessNode(String name, String label, Path dataDir, String shownDataDir, Path log, int port, boolean durable,
                     FileChannel lock, Consumer<String> progress) {
        super(name, NodeKind.REDIS, port, log, label, progress);
        this.dataDir = dataDir;
        this.shownDataDir = shownDataDir;
        this.durable = durable;
        this.lock = lock;
        this.endpoint = new RedisNode(name, host(), port, true);
    }

    RedisNode endpoint() {
        return endpoint;
    }

    @Override
    synchronized ProcessHandle launch() {
        RedisProcess.stopLeftOver(dataDir, progress()); // after a kill the pid file names a dead process
        server = RedisProcess.start(dataDir, shownDataDir, log().orElseThrow(), port(), durable, progress());
        return server.handle();
    }

    @Override
    synchronized void shutDown() {
        server.stop();
        server = null;
    }

    @Override
    synchronized void afterKill() {
        server = null;
    }

    /** Lets go of the data directory's lock once the server is down for good. */
    void release() {
        try {
            lock.close();
        } catch (IOException e) {
            // the lock goes with the channel either way
        }
    }

    @Override
    public boolean healthy(Duration timeout) {
        return Probes.redis(host(), port(), timeout);
    }
}
