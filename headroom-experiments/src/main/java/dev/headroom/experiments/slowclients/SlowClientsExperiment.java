package dev.headroom.experiments.slowclients;

import dev.headroom.edge.guard.GuardConfig;
import dev.headroom.experiments.Median;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.experiments.edge.CpuPinning;
import dev.headroom.lab.run.Latency;
import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RequestSpec;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.run.Workload;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.seed.SeedSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slow clients against a shop (issue 18's acceptance 1): normal open-model requests at a fixed rate well under
 * capacity, with and without {@code connections} slow clients (a {@link SlowClientAttacker} in a process of its own,
 * each client sending a request header one byte every few seconds and reconnecting when cut), interleaved — without,
 * with, without, with, after an unmeasured warm-up — and the medians compared. The normal traffic is 90 % {@code GET /products/{id}} over a few
 * hot ids (cache hits) and 10 % {@code GET /users/{id}/orders} (a database read each).
 *
 * <p>The shop serves in the calling JVM (or at the given URL); when {@link Settings#pin()} and taskset allow, this JVM
 * (shop and normal load) runs on the first CPU and the attacker on the second ({@link CpuPinning#startServingHere()}).
 */
public final class SlowClientsExperiment {
    private static final Duration ATTACK_MAX_RUN = Duration.ofMinutes(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern HEADER_TIMEOUTS = Pattern.compile("(?m)^headroom_http_connections_closed_total\\{reason=\"header-timeout\"[^}]*} (\\S+)$");
    /** The normal traffic's connections: enough for its requests in flight, far below any limit. */
    private static final int CONNECTIONS = 32;

    /**
     * @param connections  slow clients held at once
     * @param perAddress   slow clients per source address (127.0.0.2, .3, …), at most the shop's per-address limit
     * @param byteInterval between two bytes of one slow client's header
     * @param rate         normal requests per second (Poisson)
     * @param firstWarmup  normal traffic before the first phase, not measured (the JIT: a cold first baseline is no baseline)
     * @param warmup       of each phase, not measured
     * @param phase        measured, per phase
     * @param rounds       pairs of phases (without, with)
     * @param products     hot product ids 1..products (cached reads)
     * @param users        user ids 1..users (uncached reads)
     * @param pin          pin this JVM and the attacker to a CPU each
     */
    public record Settings(int connections, int perAddress, Duration byteInterval, double rate, Duration firstWarmup, Duration warmup, Duration phase, int rounds,
                           int products, int users, long seed, boolean pin) {
        public Settings {
            if (connections < 1 || perAddress < 1 || rounds < 1 || rate <= 0 || products < 1 || users < 1) {
                throw new IllegalArgumentException("connections, per address, rounds, rate, products and users must be positive");
            }
        }

        /** The acceptance run: 10,000 slow clients (1,000 per address), 400 normal requests/s, 2 rounds of 20 s phases. */
        public static Settings full() {
            return new Settings(10_000, 1_000, Duration.ofSeconds(3), 400, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(20), 2, 100, 100, 18, true);
        }

        /** The CI smoke run: 300 slow clients, one round of 1.5 s phases, unpinned. */
        public static Settings quick() {
            return new Settings(300, 100, Duration.ofMillis(500), 100, Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(1500), 1, 10, 10, 18, false);
        }
    }

    /**
     * @param connectionsAsked   slow clients the attacker was asked to hold
     * @param maxHeldOpen        the most the attacker held open at once
     * @param cutByHeaderTimeout slow clients the shop cut at its header timeout (its {@code /metrics}; the attacker's
     *                           count of cuts where the target has no such counter)
     * @param refused            slow clients the shop refused (503, a connection limit)
     * @param connectsFailed     connects of the attacker that failed
     * @param p99BaselineMs      median over the rounds of the normal requests' p99 without the attack
     * @param p99AttackMs        the same under attack
     * @param ratio              {@code p99AttackMs / p99BaselineMs}
     * @param requests           normal requests sent, all phases
     * @param errors             of those, errors (non-2xx, timeouts, connection errors)
     * @param pinning            how the CPUs were shared
     */
    public record Result(int connectionsAsked, long maxHeldOpen, long cutByHeaderTimeout, long refused, long connectsFailed,
                         double p99BaselineMs, double p99AttackMs, double ratio, long requests, long errors, String pinning) {
    }

    private SlowClientsExperiment() {
    }

    /**
     * The run by hand, on servers of its own and a shop with the default guard serving in this JVM:
     * {@code java -cp CLASSPATH dev.headroom.experiments.slowclients.SlowClientsExperiment [--quick] [--no-pin] [--rounds N]
     * [--header-timeout SECONDS]}; prints its progress and,
     * last, the result as one line.
     */
    public static void main(String[] args) throws Exception {
        ProgressLog progress = ProgressLog.to(new java.io.PrintWriter(System.out, true));
        Settings chosen = List.of(args).contains("--quick") ? Settings.quick() : Settings.full();
        List<String> given = List.of(args);
        int rounds = given.contains("--rounds") ? Integer.parseInt(given.get(given.indexOf("--rounds") + 1)) : chosen.rounds();
        Settings settings = new Settings(chosen.connections(), chosen.perAddress(), chosen.byteInterval(), chosen.rate(), chosen.firstWarmup(),
                chosen.warmup(), chosen.phase(), rounds, chosen.products(), chosen.users(), chosen.seed(), chosen.pin() && !given.contains("--no-pin"));
        GuardConfig.Builder guard = GuardConfig.builder();
        if (given.contains("--header-timeout")) {
            guard.headerTimeout(Duration.ofSeconds(Long.parseLong(given.get(given.indexOf("--header-timeout") + 1))));
        }
        try (ScratchInfra servers = ScratchInfra.start(false, progress)) {
            ShopConfig config = servers.shopConfig().port(0).connectionGuard(guard.build()).build();
            Shop.prepare(config, new SeedSpec(Math.max(settings.users(), 1_000), Math.max(settings.products(), 1_000), 10_000, 7), progress::line);
            try (Shop shop = Shop.serve(config)) {
                progress.line("shop " + shop.url() + ", guard: " + config.connectionGuard());
                System.out.println(run(URI.create(shop.url()), settings, progress));
            }
        }
    }

    public static Result run(URI shop, Settings s, ProgressLog progress) throws Exception {
        try (CpuPinning pinning = s.pin() ? CpuPinning.startServingHere() : null) { // a null resource is not closed
            String cpus = pinning == null ? "not pinned (asked not to)" : pinning.describe();
            List<String> attackerPrefix = pinning == null ? List.of() : pinning.generator();
            progress.line("slow clients: " + cpus);
            if (!s.firstWarmup().isZero()) {
                LoadRun.open(shop, Schedules.poisson(Stages.constant(s.rate(), s.firstWarmup().toMillis() / 1000.0), s.seed()), mix(s, -1))
                        .connections(CONNECTIONS).run();
            }
            List<Double> baseline = new ArrayList<>();
            List<Double> attacked = new ArrayList<>();
            long requests = 0;
            long errors = 0;
            long maxHeld = 0;
            long shopCutsBefore = headerTimeouts(shop);
            long cut = 0;
            long refused = 0;
            long other = 0;
            for (int round = 0; round < s.rounds(); round++) {
                RunResult quiet = normalTraffic(shop, s, round * 2L);
                baseline.add(Latency.at(quiet.corrected(), 99));
                progress.line(String.format("round %d without: %,d requests, %,d errors (statuses %s), p99 %.2f ms", round + 1, quiet.requests(),
                        quiet.errorCount(), quiet.statuses(), baseline.getLast()));
                try (AttackerProcess attacker = AttackerProcess.start(attackerPrefix, shop, s.connections(), s.perAddress(), s.byteInterval(), ATTACK_MAX_RUN)) {
                    AttackerProcess.Report ramp = attacker.awaitOpen(s.connections(), Duration.ofSeconds(10 + s.connections() / 500));
                    RunResult loud = normalTraffic(shop, s, round * 2L + 1);
                    AttackerProcess.Report end = attacker.stop();
                    attacked.add(Latency.at(loud.corrected(), 99));
                    progress.line(String.format("round %d with %,d slow clients (%,d open after the ramp, at most %,d; %,d cut, "
                                    + "%,d refused, %,d connects failed): %,d requests, %,d errors (statuses %s), p99 %.2f ms", round + 1, s.connections(), ramp.open(),
                            end.maxOpen(), end.cut(), end.refused(), end.connectFailed(), loud.requests(),
                            loud.errorCount(), loud.statuses(), attacked.getLast()));
                    requests += quiet.requests() + loud.requests();
                    errors += quiet.errorCount() + loud.errorCount();
                    maxHeld = Math.max(maxHeld, end.maxOpen());
                    cut += end.cut();
                    refused += end.refused();
                    other += end.connectFailed();
                }
            }
            long shopCuts = headerTimeouts(shop);
            if (shopCutsBefore >= 0 && shopCuts >= 0) {
                cut = shopCuts - shopCutsBefore; // the shop's count; the attacker's is what it saw (a close, a reset, a 408)
            }
            double p99Baseline = Median.of(baseline);
            double p99Attack = Median.of(attacked);
            return new Result(s.connections(), maxHeld, cut, refused, other, p99Baseline, p99Attack, p99Attack / p99Baseline, requests, errors, cpus);
        }
    }

    private static RunResult normalTraffic(URI shop, Settings s, long phase) throws Exception {
        double seconds = s.phase().toMillis() / 1000.0;
        return LoadRun.open(shop, Schedules.poisson(Stages.constant(s.rate(), seconds), s.seed() + 100 + phase), mix(s, phase))
                .warmup(s.warmup()).connections(CONNECTIONS).run();
    }

    /**
     * The shop's own count of connections it cut at the header timeout ({@code /metrics}); -1 where the target has no
     * such counter (another server), when the attacker's count of cuts stands in.
     */
    private static long headerTimeouts(URI shop) {
        try {
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(shop.resolve("/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = HEADER_TIMEOUTS.matcher(metrics.body());
            return metrics.statusCode() == 200 && m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** 90 % cached product reads, 10 % uncached order lists. */
    private static Workload mix(Settings s, long phase) {
        SplittableRandom random = new SplittableRandom(s.seed() + phase);
        return index -> random.nextInt(10) == 0
                ? new Workload.Fixed(new RequestSpec("GET /users/{id}/orders", "GET", "/users/" + (1 + random.nextInt(s.users())) + "/orders",
                        List.of(), null))
                : new Workload.Fixed(new RequestSpec("GET /products/{id}", "GET", "/products/" + (1 + random.nextInt(s.products())), List.of(), null));
    }
}
