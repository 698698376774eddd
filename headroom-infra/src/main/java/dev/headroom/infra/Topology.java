package dev.headroom.infra;

import java.util.List;
import java.util.Objects;

/**
 * Immutable description of the servers an {@link Infra} runs or uses.
 *
 * <p>{@code replicas} and {@code shards} are empty for now; later issues fill them.
 *
 * @param primary  the PostgreSQL server that takes writes
 * @param replicas read replicas of {@code primary} (empty for now)
 * @param shards   PostgreSQL shards (empty for now)
 * @param redis    the Redis server
 */
public record Topology(PostgresNode primary, List<PostgresNode> replicas, List<PostgresNode> shards, RedisNode redis) {

    public Topology {
        Objects.requireNonNull(primary, "primary must not be null");
        Objects.requireNonNull(redis, "redis must not be null");
        replicas = List.copyOf(replicas);
        shards = List.copyOf(shards);
    }
}
