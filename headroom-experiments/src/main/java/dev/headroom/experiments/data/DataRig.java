package dev.headroom.experiments.data;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.Replication;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.cache.CacheMode;
import io.micrometer.core.instrument.Gauge;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

/**
 * The servers every experiment of the data lab shares: one embedded PostgreSQL primary with {@value #REPLICAS}
 * streaming replicas ({@code replica-1}, {@code replica-2}) and Redis, durable as {@code headroom up} runs them
 * ({@code fsync} and {@code synchronous_commit} on: the lag is what a durable primary ships), seeded once.
 * Starting them once saves each experiment a base backup; the replica kill runs last, as it restarts
 * {@code replica-1}.
 */
final class DataRig implements AutoCloseable {
    static final int REPLICAS = 2;
    /** How often the lab reads a shop's replica gauges while it waits for a state. */
    static final long POLL_MILLIS = 5;

    private final ScratchInfra servers;
    private final DataLabOptions options;
    private final ProgressLog progress;

    private DataRig(ScratchInfra servers, DataLabOptions options, ProgressLog progress) {
        this.servers = servers;
        this.options = options;
        this.progress = progress;
    }

    static DataRig start(DataLabOptions options, ProgressLog progress) throws Exception {
        progress.line("servers: a PostgreSQL primary (durable), " + REPLICAS + " streaming replicas, Redis");
        ScratchInfra servers = ScratchInfra.start(true, REPLICAS, progress);
        try {
            DataRig rig = new DataRig(servers, options, progress);
            Shop.prepare(rig.config(Switches.ALL, rig.replicaUrls()).build(), options.data(),
                    progress.indented()::line);
            rig.awaitReplayed(Duration.ofSeconds(60));
            return rig;
        } catch (Exception | Error e) {
            servers.close();
            throw e;
        }
    }

    DataLabOptions options() {
        return options;
    }

    ProgressLog progress() {
        return progress;
    }

    dev.headroom.infra.Infra infra() {
        return servers.infra();
    }

    PostgresNode primary() {
        return servers.infra().topology().primary();
    }

    List<PostgresNode> replicas() {
        return servers.infra().topology().replicas();
    }

    /** The replicas' JDBC URLs, as a shop config takes them. */
    List<String> replicaUrls() {
        return replicas().stream().map(PostgresNode::jdbcUrl).toList();
    }

    /** A node's settings on these servers: {@code switches}, reading from {@code replicaUrls} when it has the replicas switch. */
    ShopConfig.Builder config(Switches switches, List<String> replicaUrls) {
        return servers.shopConfig().switches(switches).replicas(replicaUrls);
    }

    /** Every optimization but the cache: each read reaches a database. */
    static Switches uncached(boolean replicas) {
        EnumSet<Switch> on = EnumSet.of(Switch.INDEXES, Switch.SINGLE_QUERY, Switch.POOL, Switch.HTTP);
        if (replicas) {
            on.add(Switch.REPLICAS);
        }
        return new Switches(on, CacheMode.NONE);
    }

    /** Waits until every replica has replayed the primary's WAL as it stands now. */
    void awaitReplayed(Duration atMost) throws SQLException, InterruptedException {
        long target = Replication.lsn(Replication.currentLsn(primary()));
        long deadline = System.nanoTime() + atMost.toNanos();
        for (PostgresNode r : replicas()) {
            while (Replication.lsn(Replication.replayLsn(r)) < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(r.name() + " did not replay the primary's WAL within " + atMost);
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    /**
     * The shop's router gauge {@code headroom.replica.STATE} ({@code serving}, {@code ejected}, {@code down}) for
     * {@code replica}: 1 when in that state.
     */
    static boolean inState(Shop shop, String replica, String state) {
        Gauge g = shop.registry().find("headroom.replica." + state).tag("replica", replica).gauge();
        return g != null && g.value() == 1;
    }

    /**
     * Polls every {@value #POLL_MILLIS} ms until {@code test} holds, or {@code deadline} ({@link System#nanoTime()})
     * passes; the {@link System#nanoTime()} when it held, or -1.
     */
    static long awaitNanos(long deadline, java.util.function.BooleanSupplier test) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            if (test.getAsBoolean()) {
                return System.nanoTime();
            }
            Thread.sleep(POLL_MILLIS);
        }
        return -1;
    }

    @Override
    public void close() {
        servers.close();
    }
}
