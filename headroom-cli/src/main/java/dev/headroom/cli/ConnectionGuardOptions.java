package dev.headroom.cli;

import dev.headroom.edge.guard.GuardConfig;
import dev.headroom.edge.proxy.EdgeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import picocli.CommandLine.Option;

/** The connection guard's flags, as {@code headroom up} and {@code headroom edge} take them ({@code @Mixin}); unset ones keep the defaults. */
final class ConnectionGuardOptions {
    @Option(names = "--header-timeout", paramLabel = "SECONDS", description = "A request's headers must be complete this long after the "
            + "connection or the request began; then 408 and close (slow clients, slowloris). Default: "
            + GuardConfig.DEFAULT_HEADER_TIMEOUT_SECONDS + " (nginx: 60).")
    Integer headerTimeout;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", description = "The longest a request body may stall between two reads; then "
            + "408 and close. Default: " + GuardConfig.DEFAULT_BODY_TIMEOUT_SECONDS + " (nginx: 60).")
    Integer bodyTimeout;

    @Option(names = "--keepalive-timeout", paramLabel = "SECONDS", description = "A kept-alive connection with no next request this long "
            + "after a response is closed. Default: " + GuardConfig.DEFAULT_KEEPALIVE_TIMEOUT_SECONDS + " (nginx: 75).")
    Integer keepAliveTimeout;

    @Option(names = "--max-connections", paramLabel = "N", description = "Client connections open at most; more are refused with 503 and "
            + "Retry-After. Default: min(16384, open-file limit - 1024).")
    Integer maxConnections;

    @Option(names = "--max-connections-per-address", paramLabel = "N", description = "Client connections from one address at most; more "
            + "are refused with 503. Default: " + GuardConfig.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS + ".")
    Integer maxConnectionsPerAddress;

    /** The shop's settings, each flag checked and named in its message. */
    GuardConfig config() {
        GuardConfig.Builder b = GuardConfig.builder();
        apply(b::headerTimeout, b::bodyTimeout, b::keepAliveTimeout, b::maxConnections, b::maxConnectionsPerAddress);
        return Flags.check("--max-connections-per-address", b::build);
    }

    /** The edge's settings: the flags given override the config file's. */
    void applyTo(EdgeConfig.Builder b) {
        config(); // each flag and the two limits together checked, named as flags; a config file's values are checked by its reader
        apply(b::clientHeaderTimeout, b::clientBodyTimeout, b::clientIdleTimeout, b::maxClientConnections, b::maxClientConnectionsPerAddress);
    }

    /** Each flag given to its setter, an IllegalArgumentException prefixed with the flag. */
    private void apply(Consumer<Duration> header, Consumer<Duration> body, Consumer<Duration> keepAlive, IntConsumer max,
                       IntConsumer perAddress) {
        set("--header-timeout", headerTimeout, v -> header.accept(Duration.ofSeconds(v)));
        set("--body-timeout", bodyTimeout, v -> body.accept(Duration.ofSeconds(v)));
        set("--keepalive-timeout", keepAliveTimeout, v -> keepAlive.accept(Duration.ofSeconds(v)));
        set("--max-connections", maxConnections, max);
        set("--max-connections-per-address", maxConnectionsPerAddress, perAddress);
    }

    private static void set(String flag, Integer value, IntConsumer setter) {
        if (value != null) {
            Flags.check(flag, () -> {
                setter.accept(value);
                return value;
            });
        }
    }

    /** The flags given, to pass on to the shop nodes {@code headroom up --nodes N} starts. */
    List<String> flags() {
        List<String> flags = new ArrayList<>();
        add(flags, "--header-timeout", headerTimeout);
        add(flags, "--body-timeout", bodyTimeout);
        add(flags, "--keepalive-timeout", keepAliveTimeout);
        add(flags, "--max-connections", maxConnections);
        add(flags, "--max-connections-per-address", maxConnectionsPerAddress);
        return flags;
    }

    private static void add(List<String> flags, String flag, Integer value) {
        if (value != null) {
            flags.addAll(List.of(flag, value.toString()));
        }
    }
}
