package dev.headroom.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable description of what an {@link Infra} runs or uses, by role: the PostgreSQL primaries (one, or
 * several shards), their replicas, Redis, and the service nodes (shop nodes, edges). The live processes behind
 * these names are {@link Infra#node(String)}; this is what a client needs to connect.
 *
 * @param primaries PostgreSQL servers that take writes: one named {@code primary}, or shards {@code shard-1..n};
 *                  empty when the Infra was asked for no PostgreSQL
 * @param replicas  streaming replicas of the primary, {@code replica-1..n} (hot standbys: they answer reads only), in
 *                  order; see {@link Replication} for their lag
 * @param redis     the Redis server, or {@code null} when the Infra was asked for none (then {@link #redis()} throws)
 * @param services  HTTP service nodes started with {@link Infra#startNodes}, in start order
 */
public record Topology(List<PostgresNode> primaries, List<PostgresNode> replicas, RedisNode redis, List<ServiceNode> services) {

    public Topology {
        primaries = List.copyOf(primaries);
        replicas = List.copyOf(replicas);
        services = List.copyOf(services);
    }

    /** The primary, or the first shard when there are several. */
    public PostgresNode primary() {
        if (primaries.isEmpty()) {
            throw new IllegalStateException("this topology has no PostgreSQL (it was started with postgresPrimaries(0))");
        }
        return primaries.get(0);
    }

    /** The primaries when there are several (each a shard), else empty. */
    public List<PostgresNode> shards() {
        return primaries.size() > 1 ? primaries : List.of();
    }

    @Override
    public RedisNode redis() {
        if (redis == null) {
            throw new IllegalStateException("this topology has no Redis (it was started with redis(false))");
        }
        return redis;
    }

    public boolean hasRedis() {
        return redis != null;
    }

    /** A copy with one more service node. */
    Topology with(ServiceNode service) {
        Objects.requireNonNull(service);
        List<ServiceNode> more = new ArrayList<>(services);
        more.add(service);
        return new Topology(primaries, replicas, redis, more);
    }

    /** A copy without the named service node. */
    Topology without(String service) {
        return new Topology(primaries, replicas, redis, services.stream().filter(s -> !s.name().equals(service)).toList());
    }
}
