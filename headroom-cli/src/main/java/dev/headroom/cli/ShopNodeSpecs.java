package dev.headroom.cli;

import dev.headroom.infra.JvmNodeSpec;
import dev.headroom.infra.NodeKind;
import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Shop nodes in JVMs of their own: each runs {@code headroom up --serve-only} on the servers of {@code topology} (given
 * as URLs), which the caller has prepared (migrated, seeded, indexed), on a port of its own, with this JVM's options.
 * Used by {@code up --nodes N} and {@code demo}.
 */
final class ShopNodeSpecs {
    private ShopNodeSpecs() {
    }

    /**
     * The edge in a JVM of its own ({@code headroom edge}) in front of {@code backends} ({@code host:port} each), with
     * the default balancing (peak-EWMA), checks and retries; ready when {@code /health/ready} through it answers.
     */
    static JvmNodeSpec edge(List<String> backends) {
        List<String> args = new ArrayList<>(List.of("edge", "--port", "{port}"));
        backends.forEach(b -> args.addAll(List.of("--backend", "http://" + b)));
        return JvmNodeSpec.builder("edge", Headroom.class.getName()).kind(NodeKind.EDGE).port(0).jvmOptions(jvmOptions(List.of()))
                .args(args).build();
    }

    /**
     * @param dataDir    where each node keeps its class-data archive ({@code cds/node-N.jsa}): written at its first exit,
     *                   it takes about a third off the next start (2 s instead of 3 s here)
     * @param upFlags    the {@code up} flags every node gets (optimizations, data, sizes)
     * @param firstPort  node-1's port, the others on the next ones; 0: any free port each
     * @param jvmOptions more JVM options for each node, e.g. a flight recording
     * @param some       how many nodes, from node-1 on, also get {@code someFlags} (e.g. {@code --warm}: one node warms a
     *                   shared cache for all, each its own)
     * @param adminToken every node's admin token, handed over in the environment rather than on the command line
     */
    static List<JvmNodeSpec> of(Topology topology, Path dataDir, List<String> upFlags, int count, int firstPort,
                                List<String> jvmOptions, int some, List<String> someFlags, String adminToken) {
        PostgresNode pg = topology.primary();
        List<String> args = new ArrayList<>(List.of("up", "--serve-only", "--port", "{port}",
                "--pg-url", pg.jdbcUrl() + "?user=" + pg.user(), "--redis-url", topology.redis().uri()));
        topology.replicas().forEach(replica -> args.addAll(List.of("--replica-url", replica.jdbcUrl())));
        args.addAll(upFlags);
        List<String> options = jvmOptions(jvmOptions);
        Path archives = dataDir.toAbsolutePath().resolve("cds");
        try {
            Files.createDirectories(archives);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + archives, e);
        }
        List<JvmNodeSpec> specs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            List<String> own = new ArrayList<>(args);
            if (i <= some) {
                own.addAll(someFlags);
            }
            List<String> nodeOptions = new ArrayList<>(options);
            nodeOptions.addAll(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archives.resolve("node-" + i + ".jsa")));
            specs.add(JvmNodeSpec.builder("node-" + i, Headroom.class.getName()).port(firstPort == 0 ? 0 : firstPort + i - 1)
                    .jvmOptions(nodeOptions).args(own).environment(Map.of(UpCommand.ADMIN_TOKEN_ENV, adminToken)).build());
        }
        return specs;
    }

    /** This JVM's options (HEADROOM_JAVA_OPTS), what the jar's manifest grants but -cp does not (Netty's epoll), and {@code more}. */
    private static List<String> jvmOptions(List<String> more) {
        List<String> options = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (options.stream().noneMatch(option -> option.startsWith("--enable-native-access"))) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        options.addAll(more);
        return options;
    }
}
