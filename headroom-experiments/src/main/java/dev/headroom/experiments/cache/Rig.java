package dev.headroom.experiments.cache;

import dev.headroom.experiments.DatabaseHop;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.experiments.ShopNodes;
import dev.headroom.infra.PostgresNode;
import dev.headroom.lab.keys.KeyDistribution;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.cache.CacheMode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.EnumSet;

/**
 * What every phase of the lab works with: its servers, the nodes' path to PostgreSQL, a client to flush Redis
 * between runs, the options and the progress log. Each phase starts its own {@value #NODES} shop nodes on the
 * servers and closes them.
 */
record Rig(ScratchInfra servers, DatabaseHop database, RedisClient redis, CacheLabOptions options, ProgressLog progress) {
    static final int NODES = 2;

    /**
     * The optimized shop but for admission control (one pattern at a time: at the lab's offered rate the uncached
     * configuration runs its pool near full, where admission sheds, and the lab compares caches at equal load),
     * reading through {@code mode}, with L1s of {@link CacheLabOptions#l1Entries()}, on the lab's database path.
     */
    ShopConfig config(CacheMode mode) {
        PostgresNode pg = servers.infra().topology().primary();
        Switches switches = new Switches(EnumSet.complementOf(EnumSet.of(Switch.ADMISSION)), mode);
        return servers.shopConfig().database(database.jdbcUrl(), pg.user(), pg.password()).switches(switches)
                .l1Entries(options.l1Entries()).shutdownGrace(Duration.ofSeconds(2)).build();
    }

    ShopNodes start(CacheMode mode) throws Exception {
        return ShopNodes.start(config(mode), NODES);
    }

    /** Empties Redis, so that a run starts with a cold L2 (the nodes' L1s start empty anyway). */
    void flushRedis() {
        try (StatefulRedisConnection<String, String> c = redis.connect()) {
            c.sync().flushall();
        }
    }

    /** Node {@code node}'s traffic: the same for every configuration, different for each node; its writes carry the nodes' admin token. */
    TraceWorkload workload(int node, ShopNodes cluster) {
        return new TraceWorkload(KeyDistribution.zipf(1, options.products(), options.zipfExponent()), options.writeShare(),
                options.seed() * 31 + node, cluster.first().config().adminToken());
    }
}
