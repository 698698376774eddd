package dev.headroom.experiments;

import dev.headroom.infra.Infra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.shop.ShopConfig;

/**
 * An experiment's own embedded PostgreSQL and Redis, on free ports in a temporary folder, so that it measures
 * servers nobody else uses and leaves nothing behind: {@link #close()} stops them and deletes the folder. A JVM
 * shutdown hook stops them too (Ctrl-C in the middle of a run). Prints each server's {@code KIND NAME ADDRESS pid
 * PID} line once they answer.
 */
public final class ScratchInfra implements AutoCloseable {
    private final Infra infra;

    private ScratchInfra(Infra infra) {
        this.infra = infra;
    }

    /**
     * @param durable {@link dev.headroom.infra.InfraBuilder#durable}: {@code false} for zonky's fast settings, when no write's
     *                durability is measured or claimed
     * @param progress where the servers' start and stop lines go (indented), and their {@code KIND NAME ADDRESS pid
     *                PID} lines (not indented: scripts read them)
     */
    public static ScratchInfra start(boolean durable, ProgressLog progress) {
        return start(durable, 0, progress);
    }

    /** The same with {@code replicas} streaming replicas of the primary ({@code replica-1..N}). */
    public static ScratchInfra start(boolean durable, int replicas, ProgressLog progress) {
        ProgressLog detail = progress.indented();
        Infra infra = Infra.builder().temporaryDataDir().postgresPort(0).redisPort(0).durable(durable).replicas(replicas)
                .stopOnShutdown(true).log(detail::line).start();
        infra.nodes().forEach(node -> progress.line(node.announcement()));
        return new ScratchInfra(infra);
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

    /** Stops the servers and deletes their folder. */
    @Override
    public void close() {
        infra.close();
    }
}
