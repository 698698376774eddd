package dev.headroom.experiments.overload;

import dev.headroom.infra.Infra;
import dev.headroom.infra.Node;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Experiment 5: the rate a limit admits against the rate configured. An open-model Poisson load at twice the limit,
 * from one client address, first at one edge with a local limit, then split evenly over two edges (each its own JVM)
 * sharing one limit in an embedded Redis; every server on the servers' CPU. The warm-up drains the initial burst
 * (one second's worth), so the measured window sees the refill rate alone: admitted = 2xx answers / measured seconds.
 */
final class RateLimitExperiment {
    /**
     * A limit the servers' one CPU serves at twice over, proxied, with room to spare: the limiter, not the CPU, decides.
     * At 500/s (1,000/s offered) the two edges' p99 reached 878 ms on a busy machine (two edge JVMs, two backends and
     * Redis on one CPU): requests queued across the measured window's edges and the global figure read 2.9 % low.
     */
    static final int CONFIGURED_RPS = 200;
    static final int CONFIGURED_RPS_QUICK = 100;
    static final double OVERLOAD = 2.0;

    private RateLimitExperiment() {
    }

    static RateLimitResult run(OverloadRig rig) throws Exception {
        int rate = rig.quick() ? CONFIGURED_RPS_QUICK : CONFIGURED_RPS;
        Duration warmup = Duration.ofSeconds(rig.quick() ? 2 : 5);
        Duration measured = Duration.ofSeconds(rig.quick() ? 2 : 30);
        double offered = rate * OVERLOAD;
        String limit = rate + "/s";
        Path folder = rig.folder("rate-limit");
        rig.progress().line(String.format("rate limit: %s configured, %.0f req/s offered (Poisson), %d s warm-up, %d s measured",
                limit, offered, warmup.toSeconds(), measured.toSeconds()));
        double local;
        long localFailures;
        try (RateLimitedEdge.Started edge = RateLimitedEdge.start(limit, null, rig.serverPrefix(), folder, "edge-local")) {
            local = admitted(List.of(edge), offered, warmup, measured, rig.seed(), rig, true);
            localFailures = failures(edge);
        }
        rig.progress().line(String.format("  local, one edge:         %.1f req/s admitted (%+.2f %%)", local, error(local, rate)));
        double global;
        long globalFailures;
        try (Infra redis = Infra.builder().temporaryDataDir().postgresPrimaries(0).redisPort(0).durable(false).stopOnShutdown(true)
                .log(rig.progress().indented()::line).start()) {
            for (Node node : redis.nodes()) {
                rig.pin(node.pid().orElseThrow());
            }
            String url = redis.topology().redis().uri();
            try (RateLimitedEdge.Started a = RateLimitedEdge.start(limit, url, rig.serverPrefix(), folder, "edge-global-1");
                 RateLimitedEdge.Started b = RateLimitedEdge.start(limit, url, rig.serverPrefix(), folder, "edge-global-2")) {
                global = admitted(List.of(a, b), offered, warmup, measured, rig.seed() + 1, rig, false);
                globalFailures = failures(a) + failures(b);
            }
        }
        rig.progress().line(String.format("  global, two edges, Redis: %.1f req/s admitted (%+.2f %%)%s", global, error(global, rate),
                globalFailures + localFailures > 0 ? ", " + globalFailures + " checks failed open" : ""));
        return new RateLimitResult(rate, offered, measured.toSeconds(), local, global, localFailures + globalFailures);
    }

    /** 2xx answers per measured second, the offered load split evenly over the edges, run at once. */
    private static double admitted(List<RateLimitedEdge.Started> edges, double offered, Duration warmup, Duration measured, long seed,
                                   OverloadRig rig, boolean rehearse) throws Exception {
        double each = offered / edges.size();
        Stages stages = Stages.constant(each, measured.toNanos() / 1e9).withWarmup(warmup.toNanos() / 1e9);
        List<Future<RunResult>> runs = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < edges.size(); i++) {
                LoadRun.Builder run = LoadRun.open(URI.create(edges.get(i).process().url()), Schedules.poisson(stages, seed + i),
                        Workload.of(RequestSpec.get("/"))).connections(32).warmup(warmup)
                        .rehearse(rehearse && i == 0); // once per JVM: the generator's compiled code stays for the later runs
                runs.add(pool.submit(run::run));
            }
            long ok = 0;
            double seconds = 0;
            for (Future<RunResult> f : runs) {
                RunResult r = f.get();
                rig.progress().indented().line(String.format("%s: statuses %s, errors %s, p99 %.1f ms", r.target(), r.statuses(), r.errors(),
                        r.corrected().getValueAtPercentile(99) / 1000.0));
                ok += r.statuses().entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToLong(java.util.Map.Entry::getValue).sum();
                seconds = Math.max(seconds, r.durationSeconds());
            }
            return ok / seconds;
        }
    }

    /** The edge's count of checks that could not reach Redis and let the request pass, from its /metrics. */
    private static long failures(RateLimitedEdge.Started edge) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.adminPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("headroom_edge_rate_limit_failures_total ")) {
                return Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
            }
        }
        throw new IllegalStateException("the edge's /metrics has no headroom_edge_rate_limit_failures_total");
    }

    private static double error(double admitted, double configured) {
        return (admitted / configured - 1) * 100;
    }
}
