package dev.headroom.infra;

import java.util.Objects;

/**
 * One Redis server.
 *
 * @param name     role in the topology, e.g. {@code redis}
 * @param host     host to connect to ({@code 127.0.0.1} for the embedded server)
 * @param port     TCP port
 * @param embedded {@code true} when this {@link Infra} started the server and will stop it
 */
public record RedisNode(String name, String host, int port, boolean embedded) {

    public RedisNode {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(host, "host must not be null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
    }

    /** {@code redis://host:port}. */
    public String uri() {
        return "redis://" + Urls.hostForUrl(host) + ":" + port;
    }
}
