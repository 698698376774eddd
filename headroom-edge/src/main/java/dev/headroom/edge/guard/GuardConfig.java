package dev.headroom.edge.guard;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * How long a client may take and how many connections it may hold: the settings of a {@link ConnectionGuard}.
 * Immutable; built with {@link #builder()}, each setter checked at once, the limits against each other in
 * {@link Builder#build()}.
 *
 * <p>Defaults, each no looser than nginx's:
 * <ul>
 *   <li>header timeout {@value #DEFAULT_HEADER_TIMEOUT_SECONDS} s (nginx {@code client_header_timeout} 60 s): from the
 *       connection's start, or from the first byte of the next request on a kept-alive connection, until the
 *       request's headers are complete (each request's deadline is drawn between half the timeout and all of it, so
 *       that connections opened together are not all cut, and do not all reconnect, at the same moment);</li>
 *   <li>body timeout {@value #DEFAULT_BODY_TIMEOUT_SECONDS} s (nginx {@code client_body_timeout} 60 s), between two
 *       successive reads of a request's body;</li>
 *   <li>keep-alive timeout {@value #DEFAULT_KEEPALIVE_TIMEOUT_SECONDS} s (nginx {@code keepalive_timeout} 75 s): no
 *       byte of a next request for that long after a response;</li>
 *   <li>connections per client address {@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS} (nginx has no default limit;
 *       {@code limit_conn}): twice the 1,024 connections our largest lab load (the edge's scale-out search) opens from
 *       127.0.0.1, so that one run's connections still closing never refuse the next run's;</li>
 *   <li>connections in total: {@link #defaultMaxConnections()}, {@code min(16384, open-file limit − 1024)} (at least
 *       half the limit), so the process keeps descriptors for its database, Redis and files.</li>
 * </ul>
 */
public final class GuardConfig {
    public static final long DEFAULT_HEADER_TIMEOUT_SECONDS = 10;
    public static final long DEFAULT_BODY_TIMEOUT_SECONDS = 30;
    public static final long DEFAULT_KEEPALIVE_TIMEOUT_SECONDS = 60;
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(DEFAULT_HEADER_TIMEOUT_SECONDS);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(DEFAULT_BODY_TIMEOUT_SECONDS);
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(DEFAULT_KEEPALIVE_TIMEOUT_SECONDS);
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 2048;
    /** The total's default at most; also its default where the open-file limit cannot be read. */
    public static final int MAX_DEFAULT_CONNECTIONS = 16_384;
    /** Descriptors kept back from the total's default for everything else the process opens. */
    public static final int RESERVED_DESCRIPTORS = 1024;

    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Duration keepAliveTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;

    private GuardConfig(Duration headerTimeout, Duration bodyTimeout, Duration keepAliveTimeout, int maxConnections,
                        int maxConnectionsPerAddress) {
        this.headerTimeout = headerTimeout;
        this.bodyTimeout = bodyTimeout;
        this.keepAliveTimeout = keepAliveTimeout;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static GuardConfig defaults() {
        return builder().build();
    }

    /** {@code min(16384, open-file limit − 1024)}, at least half the limit; 16384 where the limit cannot be read. */
    public static int defaultMaxConnections() {
        long files = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        return (int) Math.min(MAX_DEFAULT_CONNECTIONS, Math.max(files / 2, files - RESERVED_DESCRIPTORS));
    }

    public Duration headerTimeout() { return headerTimeout; }
    public Duration bodyTimeout() { return bodyTimeout; }
    public Duration keepAliveTimeout() { return keepAliveTimeout; }
    public int maxConnections() { return maxConnections; }
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }

    @Override
    public String toString() {
        return "header " + headerTimeout.toMillis() + " ms, body " + bodyTimeout.toMillis() + " ms, keep-alive "
                + keepAliveTimeout.toMillis() + " ms, max connections " + maxConnections + " (" + maxConnectionsPerAddress + " per address)";
    }

    public static final class Builder {
        private static final Duration MAX_TIMEOUT = Duration.ofHours(1);
        private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
        private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
        private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
        private int maxConnections;
        private int maxConnectionsPerAddress;

        private Builder() {
        }

        /** Longest wait for a request's headers to be complete. Default {@value #DEFAULT_HEADER_TIMEOUT_SECONDS} s. */
        public Builder headerTimeout(Duration timeout) {
            this.headerTimeout = checkTimeout("header timeout", timeout);
            return this;
        }

        /** Longest wait between two reads of a request's body. Default {@value #DEFAULT_BODY_TIMEOUT_SECONDS} s. */
        public Builder bodyTimeout(Duration timeout) {
            this.bodyTimeout = checkTimeout("body timeout", timeout);
            return this;
        }

        /** Longest wait for the next request after a response. Default {@value #DEFAULT_KEEPALIVE_TIMEOUT_SECONDS} s. */
        public Builder keepAliveTimeout(Duration timeout) {
            this.keepAliveTimeout = checkTimeout("keep-alive timeout", timeout);
            return this;
        }

        /** Open connections at most; more are refused with 503. Default {@link GuardConfig#defaultMaxConnections()}. */
        public Builder maxConnections(int connections) {
            this.maxConnections = checkCount("max connections", connections);
            return this;
        }

        /** Open connections from one client address at most. Default {@value #DEFAULT_MAX_CONNECTIONS_PER_ADDRESS}. */
        public Builder maxConnectionsPerAddress(int connections) {
            this.maxConnectionsPerAddress = checkCount("max connections per address", connections);
            return this;
        }

        /** @throws IllegalArgumentException if the per-address limit was set above the total */
        public GuardConfig build() {
            int total = maxConnections > 0 ? maxConnections : defaultMaxConnections();
            if (maxConnectionsPerAddress > total) {
                throw new IllegalArgumentException("max connections per address (" + maxConnectionsPerAddress
                        + ") must not exceed max connections (" + total + "): lower it or raise max connections");
            }
            int perAddress = maxConnectionsPerAddress > 0 ? maxConnectionsPerAddress : Math.min(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, total);
            return new GuardConfig(headerTimeout, bodyTimeout, keepAliveTimeout, total, perAddress);
        }

        private static Duration checkTimeout(String name, Duration timeout) {
            if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(name + " must be between 1 ms and 1 h, was " + describe(timeout));
            }
            return timeout;
        }

        private static String describe(Duration d) {
            return d == null ? "null" : d.toMillis() + " ms";
        }

        private static int checkCount(String name, int connections) {
            if (connections < 1 || connections > 10_000_000) {
                throw new IllegalArgumentException(name + " must be between 1 and 10000000, was " + connections);
            }
            return connections;
        }
    }
}
