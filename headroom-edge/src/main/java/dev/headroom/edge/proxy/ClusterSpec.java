package dev.headroom.edge.proxy;

import dev.headroom.edge.balance.Algorithm;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named set of backends and how to choose among them and watch them.
 *
 * @param name        the cluster's name in routes, metrics and the admin API
 * @param backends    at least one; ids distinct
 * @param algorithm   how requests are spread
 * @param hashKey     what the hashing algorithms hash; null for the others (then {@link HashKey.Path} is used if they hash)
 * @param checkPath   the active check's path, or null for no active checks (passive outlier detection stays on)
 * @param slowStart   how long a joining or returning backend ramps up; zero for none
 */
public record ClusterSpec(String name, List<Backend> backends, Algorithm algorithm, HashKey hashKey, String checkPath,
                          Duration slowStart) {

    public static final String DEFAULT_CHECK_PATH = "/health/ready";
    public static final Duration DEFAULT_SLOW_START = Duration.ofSeconds(10);

    public ClusterSpec {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("a cluster's name must be 1 to 64 letters, digits, '_', '.' or '-', was '" + name + "'");
        }
        backends = List.copyOf(backends);
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("cluster '" + name + "' needs at least one backend");
        }
        Set<String> ids = new HashSet<>();
        for (Backend b : backends) {
            if (!ids.add(b.id())) {
                throw new IllegalArgumentException("cluster '" + name + "' has two backends with id '" + b.id() + "'");
            }
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("cluster '" + name + "' needs an algorithm");
        }
        if (hashKey == null && algorithm.hashes()) {
            hashKey = new HashKey.Path();
        }
        if (checkPath != null && !checkPath.startsWith("/")) {
            throw new IllegalArgumentException("cluster '" + name + "': the check path must start with '/', was '" + checkPath + "'");
        }
        if (slowStart == null || slowStart.isNegative()) {
            throw new IllegalArgumentException("cluster '" + name + "': slow start must be zero or more");
        }
    }

    /** Round robin over {@code backends}, checked at {@value #DEFAULT_CHECK_PATH}, {@link #DEFAULT_SLOW_START} slow start. */
    public static ClusterSpec of(String name, List<Backend> backends, Algorithm algorithm, HashKey hashKey) {
        return new ClusterSpec(name, backends, algorithm, hashKey, DEFAULT_CHECK_PATH, DEFAULT_SLOW_START);
    }
}
