package dev.headroom.infra;

import java.util.Locale;

/**
 * What a node of a {@link Topology} is. The {@link #label()} is the first word of the line every command that
 * starts servers prints for each process ({@code KIND NAME ADDRESS pid PID}), a format scripts rely on.
 */
public enum NodeKind {
    /** The PostgreSQL server that takes writes (the only one, when there are no shards). */
    PRIMARY,
    /** A streaming replica of a primary or shard. */
    REPLICA,
    /** One of several PostgreSQL primaries, each holding part of the rows. */
    SHARD,
    REDIS,
    KAFKA,
    /** A shop node: a service instance behind the edge. */
    NODE,
    /** The L7 load balancer in front of the nodes. */
    EDGE;

    /** {@code primary}, {@code replica}, {@code shard}, {@code redis}, {@code kafka}, {@code node} or {@code edge}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
