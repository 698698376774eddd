package dev.headroom.experiments.overload;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.edge.CpuPinning;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every overload experiment runs with: the options, a scratch folder (deleted at the end), progress output, and
 * the CPU split: this JVM (the load generator) on one CPU, every server the experiment starts on the other
 * ({@link #serverPrefix()} for a command it starts, {@link #pin} for a server already running and its children).
 */
public final class OverloadRig implements AutoCloseable {
    private final OverloadLabOptions options;
    private final ProgressLog progress;
    private final CpuPinning pinning;
    private final Path folder;
    private ShopPair shops;

    private OverloadRig(OverloadLabOptions options, ProgressLog progress, CpuPinning pinning, Path folder) {
        this.options = options;
        this.progress = progress;
        this.pinning = pinning;
        this.folder = folder;
    }

    static OverloadRig start(OverloadLabOptions options, ProgressLog progress) throws IOException, InterruptedException {
        CpuPinning pinning = CpuPinning.start();
        progress.line(pinning.describe());
        return new OverloadRig(options, progress, pinning, Files.createTempDirectory("headroom-overload-"));
    }

    public OverloadLabOptions options() {
        return options;
    }

    public boolean quick() {
        return options.quick();
    }

    public long seed() {
        return options.seed();
    }

    public ProgressLog progress() {
        return progress;
    }

    /** A folder of the experiment's own, under the lab's scratch folder. */
    public Path folder(String name) throws IOException {
        return Files.createDirectories(folder.resolve(name));
    }

    /** The prefix that starts a server's command on the servers' CPU; empty when not pinning. */
    public List<String> serverPrefix() {
        return pinning.servers();
    }

    /** Moves a running server (and the processes it started) to the servers' CPU. */
    public void pin(long pid) throws IOException, InterruptedException {
        pinning.pinServer(pid);
    }

    /** The two shop nodes the overload and bulkhead experiments load, started and warmed by the first that asks. */
    ShopPair shops() throws Exception {
        if (shops == null) {
            shops = ShopPair.start(this);
            shops.warm(quick(), seed());
        }
        return shops;
    }

    public String pinningDescription() {
        return pinning.describe();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (shops != null) {
            shops.close();
        }
        pinning.close();
        try (var walk = Files.walk(folder)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
