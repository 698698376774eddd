package dev.headroom.experiments;

import dev.headroom.infra.Infra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.ShopConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * An experiment's own embedded PostgreSQL and Redis, on free ports in a temporary folder, so that it measures
 * servers nobody else uses and leaves nothing behind: {@link #close()} stops them and deletes the folder. A JVM
 * shutdown hook stops them too (Ctrl-C in the middle of a run).
 */
public final class ScratchInfra implements AutoCloseable {
    private final Path dir;
    private final Infra infra;

    private ScratchInfra(Path dir, Infra infra) {
        this.dir = dir;
        this.infra = infra;
    }

    /**
     * @param name    the temporary folder's prefix, e.g. {@code headroom-lab-cache}
     * @param durable {@link Infra.Builder#durable}: {@code false} for zonky's fast settings, when no write's
     *                durability is measured or claimed
     * @param progress where the servers' start and stop lines go
     */
    public static ScratchInfra start(String name, boolean durable, ProgressLog progress) {
        Path dir;
        try {
            dir = Files.createTempDirectory(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for " + name, e);
        }
        try {
            return new ScratchInfra(dir, Infra.builder().dataDir(dir).postgresPort(0).redisPort(0).durable(durable)
                    .stopOnShutdown(true).log(progress::line).start());
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    public Infra infra() {
        return infra;
    }

    /** A shop node's settings pointed at these servers, on a free port; the experiment adds the rest. */
    public ShopConfig.Builder shopConfig() {
        PostgresNode pg = infra.topology().primary();
        return ShopConfig.builder().port(0).portFallback(true)
                .database(pg.jdbcUrl(), pg.user(), pg.password()).redis(infra.topology().redis().uri());
    }

    @Override
    public void close() {
        infra.close();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is untidy, not wrong
        }
    }
}
