package dev.headroom.experiments.edge;

import static dev.headroom.experiments.ProgressLog.seconds;

import dev.headroom.experiments.Median;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.RunResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a proxy costs: the same nginx {@code return 200} backend reached through the Headroom edge, nginx
 * {@code proxy_pass}, HAProxy and directly, each proxy with one worker (event loop, thread) and keep-alive to the
 * backend, pinned beside the backend on one CPU with the generator on the other ({@link CpuPinning}).
 *
 * <p>Phases: each target warmed at its maximum (the edge for {@code --warmup}, as its JIT needs it; nginx and HAProxy
 * are compiled already and get {@link #NATIVE_WARMUP} at most); then interleaved rounds (A B C D, A B C D …) of
 * closed-model maximum-rate runs with {@value #CONNECTIONS} connections; then interleaved rounds of open-model runs,
 * every target at the same rate, {@value #LOAD_SHARE} of the slowest proxy's median maximum, for p50 and p99 from
 * the intended send times. Added latency is a target's median minus direct's.
 */
final class ProxyCostExperiment {
    static final int CONNECTIONS = 64;
    static final double LOAD_SHARE = 0.5;
    static final Duration NATIVE_WARMUP = Duration.ofSeconds(5);

    static final String HEADROOM = "headroom";
    static final String NGINX = "nginx";
    static final String HAPROXY = "haproxy";
    static final String DIRECT = "direct";

    private ProxyCostExperiment() {
    }

    /** One target's figures, every round's and their medians. */
    record Target(String id, String what, List<Double> maxRps, List<Double> p50Ms, List<Double> p99Ms, long errors) {
        double medianMaxRps() {
            return Median.of(maxRps);
        }

        double medianP50Ms() {
            return Median.of(p50Ms);
        }

        double medianP99Ms() {
            return Median.of(p99Ms);
        }
    }

    /** The experiment's result, with each target's figures and what was pinned or skipped, for the report. */
    record Run(EdgeLabResult.ProxyCost result, List<Target> targets, List<String> notes, List<String> invalid) { }

    /** A server under test and its figures so far. */
    private record Live(String id, String what, String url, List<Double> maxRps, List<Double> p50Ms, List<Double> p99Ms, long[] errors) {
        Live(String id, String what, String url) {
            this(id, what, url, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new long[1]);
        }

        Target figures() {
            return new Target(id, what, List.copyOf(maxRps), List.copyOf(p50Ms), List.copyOf(p99Ms), errors[0]);
        }
    }

    /**
     * @param ci true under CI ({@code CI=true}): a missing HAProxy fails the run instead of being skipped
     * @throws IllegalStateException if nginx is missing, or HAProxy under CI, or a server does not start
     */
    static Run run(EdgeLabOptions o, Generator generator, Path folder, ProgressLog progress, boolean ci) throws Exception {
        Nginx.binary();
        List<String> notes = new ArrayList<>();
        Optional<String> haproxy = Haproxy.binary();
        if (haproxy.isEmpty()) {
            if (ci) {
                throw new IllegalStateException("haproxy not found on the PATH, and CI=true: under CI the proxy-cost experiment needs it "
                        + "(apt-get install haproxy)");
            }
            notes.add("HAProxy skipped: haproxy not found on the PATH (apt-get install haproxy); haproxy_rps is null");
        }
        ProgressLog detail = progress.indented();
        notes.forEach(detail::line);
        List<String> invalid = new ArrayList<>();
        List<AutoCloseable> servers = new ArrayList<>();
        try (CpuPinning pin = CpuPinning.start()) {
            notes.add(pin.describe());
            notes.add("the edge runs in a JVM of its own (" + String.join(" ", EdgeProcess.JVM_OPTIONS) + "), so that it is pinned like nginx and HAProxy");
            detail.line(notes.get(notes.size() - 2));
            detail.line(notes.getLast());
            ServerProcess backend = started(servers, Nginx.return200("backend-nginx", ServerProcess.freePort(), pin.servers(), folder));
            List<Live> targets = new ArrayList<>();
            ServerProcess edge = started(servers, EdgeProcess.start(ServerProcess.freePort(), backend.url(), pin.servers(), folder));
            targets.add(new Live(HEADROOM, "Headroom edge, 1 event loop, round robin", edge.url()));
            ServerProcess nginx = started(servers, Nginx.proxy("proxy-nginx", ServerProcess.freePort(), backend.port(), pin.servers(), folder));
            targets.add(new Live(NGINX, "nginx proxy_pass, 1 worker, keepalive 128", nginx.url()));
            if (haproxy.isPresent()) {
                ServerProcess h = started(servers, Haproxy.proxy("proxy-haproxy", ServerProcess.freePort(), backend.port(), pin.servers(), folder));
                targets.add(new Live(HAPROXY, "HAProxy " + "nbthread 1, http-reuse always", h.url()));
            }
            targets.add(new Live(DIRECT, "no proxy: nginx return 200, 1 worker", backend.url()));
            detail.line("servers: " + servers.stream().map(Object::toString).toList());

            for (Live t : targets) {
                Duration warm = t.id.equals(HEADROOM) ? o.warmup() : shortest(o.warmup(), NATIVE_WARMUP);
                if (!warm.isZero()) {
                    RunResult r = generator.closed(t.url, CONNECTIONS, Duration.ZERO, warm);
                    detail.line(String.format("warm-up %-8s %s at its maximum: %,.0f/s", t.id, seconds(warm), r.achievedRate()));
                }
            }
            progress.line(String.format("proxy cost: maximum rate, closed model, %d connections, %s + %s measured, %d rounds", CONNECTIONS,
                    seconds(o.runWarmup()), seconds(o.duration()), o.rounds()));
            for (int round = 1; round <= o.rounds(); round++) {
                for (Live t : targets) {
                    RunResult r = generator.closed(t.url, CONNECTIONS, o.runWarmup(), o.duration());
                    t.maxRps.add(r.achievedRate());
                    t.errors[0] += r.errorCount();
                    noteInvalid(invalid, t.id + " max round " + round, r);
                    detail.line(String.format("round %d %-8s max %,9.0f/s  (p99 %.2f ms at that load%s)", round, t.id, r.achievedRate(),
                            Latency.of(r.corrected()).p99(), r.errorCount() == 0 ? "" : ", " + r.errorCount() + " errors"));
                }
            }
            double slowest = targets.stream().filter(t -> !t.id.equals(DIRECT)).mapToDouble(t -> Median.of(t.maxRps)).min().orElseThrow();
            double offered = LOAD_SHARE * slowest;
            progress.line(String.format("proxy cost: latency at %,.0f/s for every target (%.0f%% of the slowest proxy's median maximum, %,.0f/s), "
                    + "open model, Poisson arrivals, %d connections, %d rounds", offered, 100 * LOAD_SHARE, slowest, CONNECTIONS, o.rounds()));
            for (int round = 1; round <= o.rounds(); round++) {
                for (Live t : targets) {
                    RunResult r = generator.open(t.url, offered, CONNECTIONS, o.runWarmup(), o.duration());
                    Latency l = Latency.of(r.corrected());
                    t.p50Ms.add(l.p50());
                    t.p99Ms.add(l.p99());
                    t.errors[0] += r.errorCount();
                    noteInvalid(invalid, t.id + " latency round " + round, r);
                    detail.line(String.format("round %d %-8s p50 %6.3f ms  p99 %6.3f ms  (%,.0f/s achieved%s%s)", round, t.id, l.p50(), l.p99(),
                            r.achievedRate(), r.errorCount() == 0 ? "" : ", " + r.errorCount() + " errors", r.valid() ? "" : ", INVALID"));
                }
            }
            List<Target> figures = targets.stream().map(Live::figures).toList();
            notes.add(perRound(figures));
            double directMax = Median.of(targets.getLast().maxRps);
            notes.add(String.format(directMax >= 1.5 * slowest
                    ? "the generator reached %,.0f/s direct, so the proxies' maxima are theirs, not the generator's"
                    : "direct reached only %,.0f/s: the generator (one event loop) may be what limits the proxies' maxima too", directMax));
            return new Run(result(figures, offered, o.rounds()), figures, notes, invalid);
        } finally {
            for (AutoCloseable s : servers.reversed()) {
                s.close();
            }
        }
    }

    private static EdgeLabResult.ProxyCost result(List<Target> targets, double offered, int rounds) {
        Target headroom = find(targets, HEADROOM).orElseThrow();
        Target nginx = find(targets, NGINX).orElseThrow();
        Optional<Target> haproxy = find(targets, HAPROXY);
        Target direct = find(targets, DIRECT).orElseThrow();
        return new EdgeLabResult.ProxyCost(headroom.medianMaxRps(), nginx.medianMaxRps(), haproxy.map(Target::medianMaxRps).orElse(null),
                direct.medianMaxRps(), headroom.medianMaxRps() / nginx.medianMaxRps(),
                headroom.medianP50Ms() - direct.medianP50Ms(), headroom.medianP99Ms() - direct.medianP99Ms(),
                nginx.medianP50Ms() - direct.medianP50Ms(), nginx.medianP99Ms() - direct.medianP99Ms(),
                haproxy.map(h -> h.medianP99Ms() - direct.medianP99Ms()).orElse(null), offered, rounds);
    }

    /** Headroom's maximum over nginx's in each round: the rounds move together on a shared machine, the ratio less. */
    private static String perRound(List<Target> targets) {
        Target headroom = find(targets, HEADROOM).orElseThrow();
        Target nginx = find(targets, NGINX).orElseThrow();
        List<String> ratios = new ArrayList<>();
        for (int i = 0; i < headroom.maxRps().size(); i++) {
            ratios.add(String.format("%.2f", headroom.maxRps().get(i) / nginx.maxRps().get(i)));
        }
        return "Headroom's maximum over nginx's, round by round: " + String.join(" ", ratios);
    }

    static Optional<Target> find(List<Target> targets, String id) {
        return targets.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    private static ServerProcess started(List<AutoCloseable> servers, ServerProcess server) {
        servers.add(server);
        return server;
    }

    private static void noteInvalid(List<String> invalid, String run, RunResult r) {
        if (!r.valid()) {
            invalid.add(run + ": " + String.join("; ", r.invalidReasons()));
        }
    }

    private static Duration shortest(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
