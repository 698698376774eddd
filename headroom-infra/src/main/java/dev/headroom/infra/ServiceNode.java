package dev.headroom.infra;

import java.util.Objects;

/**
 * One HTTP service process of a topology, e.g. a shop node.
 *
 * @param name role in the topology, e.g. {@code node-1}
 * @param kind {@link NodeKind#NODE} or {@link NodeKind#EDGE}
 * @param host host to connect to
 * @param port TCP port
 */
public record ServiceNode(String name, NodeKind kind, String host, int port) {

    public ServiceNode {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(host, "host must not be null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
    }

    /** {@code http://host:port}. */
    public String url() {
        return "http://" + Urls.hostForUrl(host) + ":" + port;
    }
}
