package dev.headroom.cli;

import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.proxy.Backend;
import dev.headroom.edge.proxy.ClusterSpec;
import dev.headroom.edge.proxy.ConfigFile;
import dev.headroom.edge.proxy.EdgeConfig;
import dev.headroom.edge.proxy.EdgeServer;
import dev.headroom.edge.proxy.HashKey;
import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.edge.proxy.ResilienceFlags;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom edge}: the L7 load balancer in front of backends given as flags or in a config file. */
@Command(name = "edge",
        mixinStandardHelpOptions = true,
        description = {
                "Runs the edge: a reverse proxy and load balancer in front of HTTP backends, until Ctrl-C.",
                "",
                "Spreads requests over the backends (--lb), checks them (GET /health/ready every second), ejects those that "
                        + "fail, slow-starts those that join or return, retries idempotent requests (GET, HEAD, OPTIONS, or with an "
                        + "Idempotency-Key) on another backend. The admin API (backends, their state, add/remove/drain/weight) "
                        + "and /metrics listen on --admin-port. Prints 'ready http://HOST:PORT (N s)' when it accepts traffic.",
                "",
                "--rate-limit refuses requests past a rate with 429, Retry-After and the RateLimit-Policy / RateLimit headers "
                        + "(which admitted answers carry too): a token bucket per client address, or per value of a header, "
                        + "holding one period's worth (or burst=N). Without --rate-limit-redis each edge counts on its own; with it "
                        + "the buckets are in Redis and every edge using that Redis shares them (a global limit). If Redis "
                        + "cannot be reached the edge lets requests pass (fail open) and counts them in "
                        + "headroom_edge_rate_limit_failures_total."},
        footer = {"", "Examples:",
                "  headroom edge --port 8080 --backend http://127.0.0.1:8081 --backend http://127.0.0.1:8082",
                "  headroom edge --backend 'http://127.0.0.1:8081;weight=3' --backend http://127.0.0.1:8082 --lb weighted",
                "  headroom edge --backend http://127.0.0.1:8081 --backend http://127.0.0.1:8082 --lb maglev --hash-key cookie:session",
                "  headroom edge --config edge.json     (the format: docs/patterns/load-balancing.md)",
                "  headroom edge --backend http://127.0.0.1:8081 --rate-limit 100/s",
                "  headroom edge --backend http://127.0.0.1:8081 --rate-limit 6000/min,key=header:X-Api-Key,burst=100 "
                        + "--rate-limit-redis redis://127.0.0.1:6379     (docs/patterns/rate-limiting.md)",
                "  curl -H 'Authorization: Bearer TOKEN' http://127.0.0.1:ADMIN/admin/clusters"})
final class EdgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "Where clients connect. Default: 8080, or the config file's.")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on. Default: 127.0.0.1 (local only).")
    String host;

    @Option(names = "--backend", paramLabel = "URL[;weight=N]", description = "A backend, e.g. http://127.0.0.1:8081;weight=2. Repeat for more.")
    List<String> backends = List.of();

    @Option(names = "--lb", paramLabel = "ALGORITHM", description = "round-robin, weighted, random, least-request, peak-ewma, ring-hash "
            + "or maglev. Default: peak-ewma.")
    String lb = "peak-ewma";

    @Option(names = "--hash-key", paramLabel = "KEY", description = "What ring-hash and maglev hash: header:NAME, cookie:NAME, path or address. Default: path.")
    String hashKey;

    @Option(names = "--config", paramLabel = "FILE", description = "A JSON config file with clusters and routes; --port, --host, "
            + "--admin-port and --admin-token override it, backends and balancing are its own.")
    Path config;

    @Option(names = "--admin-port", paramLabel = "PORT", description = "The admin API's and /metrics' port. Default: any free one, printed.")
    Integer adminPort;

    @Option(names = "--admin-token", paramLabel = "TOKEN", description = "The bearer token the admin API requires (8+ characters). "
            + "Default: a random one, printed.")
    String adminToken;

    @Option(names = "--event-loops", paramLabel = "N", description = "Event-loop threads. Default: one per core.")
    Integer eventLoops;

    @Option(names = "--rate-limit", paramLabel = "RATE[,key=address|header:NAME]", description = "Requests admitted per client: "
            + "AMOUNT/PERIOD (PERIOD s, min or h), e.g. 100/s; key=address (the default) or key=header:NAME (a bucket per value "
            + "of that header, e.g. an API key; requests without it by address); burst=N to hold fewer than one period's worth. "
            + "Past it: 429 with Retry-After.")
    String rateLimit;

    @Option(names = "--rate-limit-redis", paramLabel = "URL", description = "Keep --rate-limit's buckets in this Redis, e.g. "
            + "redis://127.0.0.1:6379, shared by every edge using it: one limit across edges. Redis down: requests pass.")
    String rateLimitRedis;

    @Option(names = "--no-health-checks", description = "No active checks (backends without /health/ready); passive outlier detection stays on.")
    boolean noHealthChecks;

    @Option(names = "--retry-budget", paramLabel = "PERCENT%[,min=N]", description = "Retries in flight at most PERCENT of the "
            + "requests in flight, or N, whichever is more (Envoy's retry budget), each after an exponential backoff with full jitter; "
            + "'off' for naive retries (3 attempts, however many fail). Default: 20%%,min=3.")
    String retryBudget;

    @Option(names = "--hedge", paramLabel = "pNN[,max=PERCENT%]", description = "Hedged GETs: a second try on another backend when "
            + "the first has no answer after the pNN of recent latencies; the first answer wins, the other is closed; hedges at most "
            + "PERCENT of requests (default 5%%). E.g. p97. Default: off.")
    String hedge;

    @Option(names = "--circuit-breaker", paramLabel = "PERCENT%[,open=10s]", description = "A breaker per backend: open (no requests) "
            + "when PERCENT of its last 20 tries failed, for the open time, then 3 probes. Default: off (outlier ejection only).")
    String circuitBreaker;

    @Option(names = "--concurrency-limit", paramLabel = "adaptive[,min=N][,max=N][,critical=PREFIX|…][,sheddable=PREFIX|…]",
            description = "An adaptive limit on requests in flight per cluster (Netflix Gradient2 from their latency, never below min, "
                    + "default 8, nor above max, default 1000), a short CoDel queue beyond it, then 503 with Retry-After. Paths under "
                    + "critical prefixes keep the whole limit, sheddable ones are refused first. E.g. "
                    + "adaptive,critical=/orders,sheddable=/products. Default: off.")
    String concurrencyLimit;

    @Mixin
    ConnectionGuardOptions connectionGuard;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        EdgeConfig checked = config().build();
        EdgeServer edge = EdgeServer.start(checked, line -> {
            out.println(line);
            out.flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            edge.close();
            out.println("stopped");
            out.flush();
            stopped.countDown();
        }, "headroom-edge-shutdown"));
        out.printf("admin %s (token %s)%n", edge.adminUrl(), adminToken != null ? "as given" : edge.adminToken());
        long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        out.printf("ready %s (%d s)%n", edge.url(), Math.round(millis / 1000.0));
        out.flush();
        stopped.await();
        return 0;
    }

    /** Every flag checked before anything starts, the flag named in the message. */
    EdgeConfig.Builder config() {
        EdgeConfig.Builder b;
        if (config != null) {
            if (!backends.isEmpty() || hashKey != null || spec.commandLine().getParseResult().hasMatchedOption("--lb") || noHealthChecks) {
                throw new IllegalArgumentException("--config has the backends and how to balance them: give --backend, --lb, --hash-key "
                        + "and --no-health-checks in the file instead");
            }
            b = ConfigFile.read(config);
        } else {
            if (backends.isEmpty()) {
                throw new IllegalArgumentException("give at least one --backend URL (or --config FILE)");
            }
            List<Backend> parsed = backends.stream().map(text -> Flags.check("--backend", () -> Backend.parse(text))).toList();
            Algorithm algorithm = Flags.check("--lb", () -> Algorithm.parse(lb));
            HashKey key = hashKey == null ? null : Flags.check("--hash-key", () -> HashKey.parse(hashKey));
            b = EdgeConfig.builder();
            EdgeConfig.Builder builder = b;
            Flags.check("--backend", () -> builder.cluster(new ClusterSpec("default", parsed, algorithm, key,
                    noHealthChecks ? null : ClusterSpec.DEFAULT_CHECK_PATH, ClusterSpec.DEFAULT_SLOW_START)));
        }
        EdgeConfig.Builder builder = b;
        if (port != null) {
            Flags.check("--port", () -> builder.port(port));
        } else if (config == null) {
            builder.port(EdgeConfig.DEFAULT_PORT);
        }
        if (host != null) {
            Flags.check("--host", () -> builder.host(host));
        }
        if (adminPort != null) {
            Flags.check("--admin-port", () -> builder.adminPort(adminPort));
        }
        if (adminToken != null) {
            Flags.check("--admin-token", () -> builder.adminToken(adminToken));
        }
        if (eventLoops != null) {
            Flags.check("--event-loops", () -> builder.eventLoops(eventLoops));
        }
        if (rateLimit != null) {
            Flags.check("--rate-limit", () -> builder.rateLimit("default", RateLimit.parse(rateLimit)));
        }
        if (rateLimitRedis != null) {
            if (rateLimit == null) {
                throw new IllegalArgumentException("--rate-limit-redis keeps --rate-limit's buckets: give --rate-limit RATE too");
            }
            Flags.check("--rate-limit-redis", () -> builder.rateLimitRedis(rateLimitRedis));
        }
        if (retryBudget != null) {
            Flags.check("--retry-budget", () -> ResilienceFlags.retryBudget(builder, retryBudget));
        }
        if (hedge != null) {
            Flags.check("--hedge", () -> ResilienceFlags.hedging(builder, hedge));
        }
        if (circuitBreaker != null) {
            Flags.check("--circuit-breaker", () -> ResilienceFlags.circuitBreaker(builder, circuitBreaker));
        }
        if (concurrencyLimit != null) {
            Flags.check("--concurrency-limit", () -> ResilienceFlags.concurrencyLimit(builder, concurrencyLimit));
        }
        connectionGuard.applyTo(builder);
        return Flags.check("--config", () -> {
            builder.build(); // the whole, checked now; start builds it again
            return builder;
        });
    }
}
