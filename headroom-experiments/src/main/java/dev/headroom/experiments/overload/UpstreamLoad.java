package dev.headroom.experiments.overload;

import dev.headroom.experiments.edge.ServerProcess;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the retry-storm and tail experiments share: open-model runs (Poisson arrivals) through an edge, and the
 * upstreams' own counts of what reached them, read before and after, so that the load the edge sent on is measured
 * where it lands.
 */
final class UpstreamLoad {
    private static final Workload GET = Workload.of(RequestSpec.get("/items"));
    private static final Pattern COUNTER = Pattern.compile("headroom_edge_(retry_budget|hedges)_total\\{cluster=\"[^\"]*\",outcome=\"(\\w+)\"} (\\d+)");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<ServerProcess> upstreams;
    private final Duration warm;
    private final Duration duration;
    private final int rounds;
    private long seed;
    private boolean rehearsed;

    /** Quick: 1 round of 2 s after 1 s of warming; full: 3 rounds of 15 s after 3 s. */
    UpstreamLoad(OverloadRig rig, List<ServerProcess> upstreams) {
        this.upstreams = upstreams;
        this.seed = rig.seed();
        this.warm = Duration.ofSeconds(rig.quick() ? 1 : 3);
        this.duration = Duration.ofSeconds(rig.quick() ? 2 : 15);
        this.rounds = rig.quick() ? 1 : 3;
    }

    /** The runs' plan, for the progress line. */
    String plan() {
        return rounds + " round(s) of " + duration.toSeconds() + " s";
    }

    /** One run and the tries it caused at the upstreams. */
    record Measured(RunResult run, long upstreamRequests, Map<String, Long> edgeCounters) {
        long edge(String counter) {
            return edgeCounters.getOrDefault(counter, 0L);
        }

        /** Tries that reached the upstreams per request offered. */
        double amplification() {
            return run.requests() == 0 ? 0 : (double) upstreamRequests / run.requests();
        }

        double successShare() {
            return run.requests() == 0 ? 0 : (double) run.statuses().getOrDefault(200, 0L) / run.requests();
        }
    }

    /** What a round measured through one edge: {@code with} when through the edge with the mechanism. */
    interface Round {
        void measured(int round, boolean with, Measured m);
    }

    /**
     * Warms both edges (a run not counted: their code and the generator's compiled, a hedger's latencies and budget
     * filled), then measures the rounds through each, the order alternating so that neither always runs
     * on a machine the other just warmed.
     */
    void interleaved(ResilienceEdge.Running without, ResilienceEdge.Running with, double rate, Round each) throws IOException, InterruptedException {
        run(without, rate, warm);
        run(with, rate, warm);
        for (int round = 0; round < rounds; round++) {
            for (boolean on : round % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                each.measured(round + 1, on, measure(on ? with : without, rate, duration));
            }
        }
    }

    private Measured measure(ResilienceEdge.Running edge, double rate, Duration duration) throws IOException, InterruptedException {
        long before = count();
        Map<String, Long> edgeBefore = edgeCounters(edge);
        RunResult r = run(edge, rate, duration);
        Thread.sleep(300); // a retry still waiting its backoff, or a cancelled hedge, lands after the last answer
        Map<String, Long> edgeAfter = edgeCounters(edge);
        Map<String, Long> delta = new TreeMap<>();
        edgeAfter.forEach((k, v) -> delta.put(k, v - edgeBefore.getOrDefault(k, 0L)));
        return new Measured(r, count() - before, delta);
    }

    /** The edge's retry-budget and hedge counters (outcome → count), from its {@code /metrics}. */
    private static Map<String, Long> edgeCounters(ResilienceEdge.Running edge) throws IOException, InterruptedException {
        String text = CLIENT.send(HttpRequest.newBuilder(edge.metrics()).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Long> counters = new TreeMap<>();
        Matcher m = COUNTER.matcher(text);
        while (m.find()) {
            counters.put(m.group(1) + " " + m.group(2), Long.parseLong(m.group(3)));
        }
        return counters;
    }

    private RunResult run(ResilienceEdge.Running edge, double rate, Duration duration) throws IOException, InterruptedException {
        // no warm-up inside the run and no rehearsal after the first: every request sent is one of the run's
        RunResult r = LoadRun.open(URI.create(edge.url()), Schedules.poisson(Stages.constant(rate, duration.toNanos() / 1e9), seed++), GET)
                .warmup(Duration.ZERO).rehearse(!rehearsed).run();
        rehearsed = true;
        return r;
    }

    private long count() throws IOException, InterruptedException {
        long total = 0;
        for (ServerProcess u : upstreams) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(u.url() + "/count")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            total += Long.parseLong(r.body().strip());
        }
        return total;
    }
}
