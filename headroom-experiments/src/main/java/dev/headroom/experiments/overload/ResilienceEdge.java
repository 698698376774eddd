package dev.headroom.experiments.overload;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.Backend;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.edge.proxy.ResilienceFlags;
import dev.headroom.experiments.edge.EdgeProcess;
import dev.headroom.experiments.edge.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge of the retry-storm and tail experiments in a JVM of its own (pinned like the upstreams): one event loop,
 * round robin, no active checks, no slow start, 3 attempts, its retry budget and hedging given as the CLI's flags
 * would give them, its {@code /metrics} on the admin port. {@code PORT ADMIN_PORT RETRY_BUDGET HEDGE BACKEND_URL...}; runs
 * until its standard input closes.
 */
public final class ResilienceEdge {
    private ResilienceEdge() {
    }

    /** A running edge process and where its metrics are. */
    record Running(ServerProcess process, URI metrics) implements AutoCloseable {
        String url() {
            return process.url();
        }

        @Override
        public void close() {
            process.close();
        }
    }

    public static void main(String[] args) throws IOException {
        List<Backend> backends = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            backends.add(new Backend("upstream-" + (i - 3), URI.create(args[i]), 1));
        }
        EdgeConfig.Builder b = EdgeConfig.builder().port(Integer.parseInt(args[0])).adminPort(Integer.parseInt(args[1])).eventLoops(1)
                .cluster(new ClusterSpec("upstream", backends, Algorithm.ROUND_ROBIN, null, null, Duration.ZERO));
        ResilienceFlags.retryBudget(b, args[2]);
        ResilienceFlags.hedging(b, args[3]);
        EdgeServer edge = EdgeServer.start(b.build(), System.out::println);
        System.out.println("ready " + edge.url());
        System.out.flush();
        while (System.in.read() >= 0) {
            // nothing to read: waiting for the lab to go away
        }
        edge.close();
    }

    /** Starts an edge's JVM on a free port, pinned to the servers' CPU, with {@code retryBudget} and {@code hedge} in their flag forms. */
    static Running start(OverloadRig rig, String name, String retryBudget, String hedge, List<String> upstreams, Path folder)
            throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        int admin = ServerProcess.freePort();
        List<String> args = new ArrayList<>(List.of(Integer.toString(port), Integer.toString(admin), retryBudget, hedge));
        args.addAll(upstreams);
        return new Running(ServerProcess.start(name, rig.serverPrefix(), EdgeProcess.java(ResilienceEdge.class, args), port, folder),
                URI.create("http://127.0.0.1:" + admin + "/metrics"));
    }

    /** Starts a {@link SyntheticUpstream} on a free port, pinned to the servers' CPU. */
    static ServerProcess upstream(OverloadRig rig, String name, long seed, double failShare, double stallShare, long stallMillis,
                                  long serviceMillis, Path folder) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        List<String> args = List.of(Integer.toString(port), Long.toString(seed), Double.toString(failShare), Double.toString(stallShare),
                Long.toString(stallMillis), Long.toString(serviceMillis));
        return ServerProcess.start(name, rig.serverPrefix(), EdgeProcess.java(SyntheticUpstream.class, args), port, folder);
    }
}
