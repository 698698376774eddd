package dev.headroom.edge.proxy;

/**
 * Which requests go to which cluster: those whose host (without port) equals {@code host}, or any host when null, and
 * whose path starts with {@code pathPrefix}. The first route that matches wins, so list the specific ones first.
 */
public record Route(String host, String pathPrefix, String cluster) {

    public Route {
        if (host != null && (host.isBlank() || host.contains(":") || host.contains("/"))) {
            throw new IllegalArgumentException("a route's host is a name without port or path, e.g. shop.example.com, was '" + host + "'");
        }
        if (pathPrefix == null || !pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("a route's path prefix must start with '/', was '" + pathPrefix + "'");
        }
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("a route needs a cluster");
        }
    }

    boolean matches(String requestHost, String path) {
        return (host == null || host.equalsIgnoreCase(requestHost)) && path.startsWith(pathPrefix);
    }
}
