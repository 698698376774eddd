package dev.headroom.cli;

import dev.headroom.analytics.Analytics;
import dev.headroom.analytics.dashboard.ServiceFigures;
import io.micrometer.core.instrument.Gauge;
import dev.headroom.edge.balance.Algorithm;
import dev.headroom.edge.auth.AdminToken;
import dev.headroom.edge.ratelimit.RateLimit;
import dev.headroom.infra.Infra;
import dev.headroom.infra.InfraBuilder;
import dev.headroom.infra.JvmNodeSpec;
import dev.headroom.infra.Node;
import dev.headroom.infra.NodeKind;
import dev.headroom.infra.PostgresNode;
import dev.headroom.infra.Topology;
import dev.headroom.shop.Profile;
import dev.headroom.shop.Shop;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switch;
import dev.headroom.shop.Switches;
import dev.headroom.shop.seed.SeedSpec;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code headroom up}: embedded PostgreSQL and Redis, seeded data, and the shop serving on 127.0.0.1. */
@Command(name = "up",
        mixinStandardHelpOptions = true,
        description = {
                "Serves the shop's HTTP API, with seeded data, until Ctrl-C.",
                "",
                "Starts PostgreSQL and Redis (embedded, from Maven artifacts, unless --pg-url/--redis-url point elsewhere), "
                        + "seeds the shop's data on first start (reused on the next), and serves the shop's HTTP API until Ctrl-C. "
                        + "An embedded server that crashes is restarted (backed off from 0.5 s to 8 s, given up on after 5 restarts in 5 minutes). "
                        + "Prints 'ready http://127.0.0.1:PORT (N s)' when it accepts traffic."},
        footer = {"", "Examples:",
                "  headroom up",
                "  headroom up --profile baseline --port 9090",
                "  headroom up --optimize indexes,single-query,pool",
                "  headroom up --nodes 3 --lb peak-ewma",
                "  headroom up --replicas 2",
                "  headroom up --rate-limit 100/s,key=header:X-Api-Key",
                "  HEADROOM_ADMIN_TOKEN=\"$TOKEN\" headroom up",
                "  headroom up --users 10000 --products 1000 --orders 100000 --data-dir /tmp/small"})
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port; if taken, the next free one. Default: ${DEFAULT-VALUE}.")
    int port = ShopConfig.DEFAULT_PORT;

    @Option(names = "--host", paramLabel = "ADDR", description = "Address to bind. Default: ${DEFAULT-VALUE} (local only).")
    String host = ShopConfig.DEFAULT_HOST;

    @Option(names = "--profile", paramLabel = "NAME", description = "A named set of optimizations: baseline (none: no indexes, "
            + "N+1, a connection per request, no HTTP validators or compression, no cache) or optimized (all). Default: optimized.")
    String profile;

    @Option(names = "--optimize", paramLabel = "LIST", description = "Any set of optimizations instead of a profile, comma-separated: "
            + "indexes, single-query, pool, http, replicas, cache=MODE; none for the baseline. E.g. indexes,single-query,pool.")
    String optimize;

    @Option(names = "--cache", paramLabel = "MODE", description = "What reads go through, whatever the profile says: "
            + "l1+l2 (Caffeine, then Redis; optimized's), l1, l2, lru, l1+l2-no-coalescing, or none (baseline's).")
    String cache;

    @Option(names = "--warm", description = "Cache warming: load every product into the cache (Redis) before announcing ready.")
    boolean warm;

    @Option(names = "--l1-entries", paramLabel = "N", description = "Each in-process cache's size, per entity (products, users, orders). Default: ${DEFAULT-VALUE}.")
    long l1Entries = ShopConfig.DEFAULT_L1_ENTRIES;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where PostgreSQL and Redis keep their data and logs. Default: ${DEFAULT-VALUE}.")
    Path dataDir = Path.of(".headroom");

    @Option(names = "--users", paramLabel = "N", description = "Users to seed. Default: ${DEFAULT-VALUE}.")
    long users = SeedSpec.DEFAULT.users();

    @Option(names = "--products", paramLabel = "N", description = "Products to seed. Default: ${DEFAULT-VALUE}.")
    long products = SeedSpec.DEFAULT.products();

    @Option(names = "--orders", paramLabel = "N", description = "Orders to seed (about 2.5 items each). Default: ${DEFAULT-VALUE}.")
    long orders = SeedSpec.DEFAULT.orders();

    @Option(names = "--seed", paramLabel = "N", description = "Random seed of the data generator. Default: ${DEFAULT-VALUE}.")
    long seed = SeedSpec.DEFAULT.seed();

    @Option(names = "--pg-url", paramLabel = "URL", description = "Use this PostgreSQL instead of the embedded one, e.g. jdbc:postgresql://localhost:5432/shop?user=me&password=secret.")
    String pgUrl;

    @Option(names = "--redis-url", paramLabel = "URL", description = "Use this Redis instead of the embedded one, e.g. redis://localhost:6379.")
    String redisUrl;

    @Option(names = "--replicas", paramLabel = "N", description = "Streaming replicas of the embedded PostgreSQL, 0 to 8: "
            + "hot standbys replica-1..N on the ports from 15442, each made by a base backup on its first start and reused "
            + "after. With the replicas switch (in optimized) the shop reads from them by what each has replayed: a write's "
            + "answer carries a Headroom-Consistency token, and a read that sends it back sees that write on any node. "
            + "Not with --pg-url (give --replica-url). Default: ${DEFAULT-VALUE}.")
    int replicas = 0;

    @Option(names = "--replica-url", paramLabel = "URL", description = "A streaming replica of --pg-url to read from "
            + "(repeatable), e.g. jdbc:postgresql://localhost:5433/shop; the user and password are --pg-url's.")
    List<String> replicaUrls = new ArrayList<>();

    @Option(names = "--pool-size", paramLabel = "N", description = "Connections in the optimized profile's pool. Default: cores * 2 + 1 (= ${sys:headroom.formulaPool}).")
    int poolSize;

    @Option(names = "--nodes", paramLabel = "N", description = "Shop nodes: 1 serves from this process; more start each "
            + "in a JVM of its own on the ports after --port, all on the same servers, behind the edge (the load balancer) "
            + "on --port; one that dies is restarted and slow-starts back in. Default: ${DEFAULT-VALUE}.")
    int nodes = 1;

    @Option(names = "--lb", paramLabel = "ALGORITHM", description = "With --nodes 2 or more, how the edge spreads requests: "
            + "round-robin, weighted, random, least-request, peak-ewma, ring-hash or maglev. Default: peak-ewma.")
    String lb;

    @Option(names = "--admin-token", paramLabel = "TOKEN", defaultValue = "${env:" + ADMIN_TOKEN_ENV + "}",
            description = "The bearer token admin requests carry as 'Authorization: Bearer TOKEN': the shop's admin writes "
            + "(PATCH /products/{id}) on every node and, with --nodes 2 or more, the edge's admin API. At least 8 printable "
            + "ASCII characters, no spaces; also read from " + ADMIN_TOKEN_ENV + " (off the command line). "
            + "Default: a random one, printed once as 'admin-token TOKEN'.")
    String adminToken;

    @Option(names = "--serve-only", description = "Serve on a database another process already migrated, seeded and indexed "
            + "(as up --nodes and demo do for their nodes): skips those steps. Needs --pg-url and --redis-url.")
    boolean serveOnly;

    @Option(names = "--rate-limit", paramLabel = "RATE[,key=address|header:NAME]", description = "Requests admitted per client, "
            + "counted in Redis so that every node shares one limit: e.g. 100/s (per client address) or "
            + "100/s,key=header:X-Api-Key; past it 429 with Retry-After and the RateLimit headers. Default: no limit.")
    String rateLimit;

    @Option(names = "--analytics", description = "Real-time analytics beside the shop: its orders counted as events, a live dashboard "
            + "at /dashboard on --analytics-port (its URL printed), POST /events for NDJSON events and a TCP port for binary frames; "
            + "rollups kept in DuckDB in --data-dir. With --nodes 1.")
    boolean analytics;

    @Option(names = "--analytics-port", paramLabel = "PORT", description = "With --analytics, the dashboard's and POST /events' port "
            + "(the binary frames' is the next one); 0 for any free ones. Default: ${DEFAULT-VALUE}.")
    int analyticsPort = DEFAULT_ANALYTICS_PORT;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", description = "How long in-flight requests may finish on Ctrl-C. Default: ${DEFAULT-VALUE}.")
    int shutdownGrace = (int) ShopConfig.DEFAULT_SHUTDOWN_GRACE.toSeconds();

    @Mixin
    ConnectionGuardOptions connectionGuard;

    /** More shop JVMs than this on one machine is a typo. */
    static final int MAX_NODES = 16;
    static final int DEFAULT_ANALYTICS_PORT = 8090;
    /** Where {@code --admin-token} is read from when not given: how {@code up --nodes} hands it to its nodes unseen by {@code ps}. */
    static final String ADMIN_TOKEN_ENV = "HEADROOM_ADMIN_TOKEN";

    static {
        System.setProperty("headroom.formulaPool",
                Integer.toString(ShopConfig.formulaPoolSize(Runtime.getRuntime().availableProcessors(), 1)));
    }


    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Validate every flag before starting anything; a bad one is named in the message.
        if (profile != null && optimize != null) {
            throw new IllegalArgumentException("--profile and --optimize both choose the optimizations: give one of them");
        }
        Switches chosen = optimize != null ? Flags.check("--optimize", () -> Switches.parse(optimize))
                : Flags.check("--profile", () -> Profile.parse(profile == null ? "optimized" : profile)).switches();
        SeedSpec seedSpec = Flags.check("--users/--products/--orders", () -> new SeedSpec(users, products, orders, seed));
        ShopConfig.Builder shopConfig = ShopConfig.builder().switches(chosen); // --cache below may change its cache
        Flags.check("--host", () -> shopConfig.host(host));
        Flags.check("--port", () -> shopConfig.port(port));
        Flags.check("--pool-size", () -> shopConfig.poolSize(poolSize));
        Flags.check("--l1-entries", () -> shopConfig.l1Entries(l1Entries));
        shopConfig.warmOnStart(warm);
        if (cache != null) {
            shopConfig.switches(chosen.withCache(Flags.check("--cache", () -> CacheMode.parse(cache))));
        }
        Flags.check("--shutdown-grace", () -> shopConfig.shutdownGrace(Duration.ofSeconds(shutdownGrace)));
        shopConfig.connectionGuard(connectionGuard.config());
        if (rateLimit != null) {
            shopConfig.rateLimit(Flags.check("--rate-limit", () -> RateLimit.parse(rateLimit)));
        }
        InfraBuilder infraConfig = Infra.builder().dataDir(dataDir).stopOnShutdown(false).log(progress(out));
        if (pgUrl != null) {
            Flags.check("--pg-url", () -> infraConfig.postgresUrl(pgUrl));
        }
        if (redisUrl != null) {
            Flags.check("--redis-url", () -> infraConfig.redisUrl(redisUrl));
        }
        if (replicas != 0 && pgUrl != null) {
            throw new IllegalArgumentException("--replicas makes replicas of the embedded PostgreSQL: leave out --pg-url, or give --replicas 0");
        }
        Flags.check("--replicas", () -> infraConfig.replicas(replicas));
        if (!replicaUrls.isEmpty() && (pgUrl == null || replicas != 0)) {
            throw new IllegalArgumentException("--replica-url names replicas of --pg-url: give --pg-url, and no --replicas");
        }
        Flags.check("--replica-url", () -> shopConfig.replicas(replicaUrls));

        if (serveOnly && (pgUrl == null || redisUrl == null || nodes != 1)) {
            throw new IllegalArgumentException("--serve-only serves on servers another process prepared: give --pg-url and --redis-url, and no --nodes");
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be between 1 and " + MAX_NODES + ", was " + nodes);
        }
        if (nodes == 1 && lb != null) {
            throw new IllegalArgumentException("--lb configures the edge in front of several nodes: give --nodes 2 or more");
        }
        if (analytics && nodes != 1) {
            throw new IllegalArgumentException("--analytics counts the orders of the shop in this process: give --nodes 1 (the default)");
        }
        if (analyticsPort < 0 || analyticsPort > 65_534) {
            throw new IllegalArgumentException("--analytics-port must be between 0 (any free ports) and 65534, was " + analyticsPort);
        }
        Algorithm algorithm = Flags.check("--lb", () -> Algorithm.parse(lb == null ? Algorithm.PEAK_EWMA.id() : lb));
        String token = adminToken != null ? adminToken : AdminToken.random().value();
        Flags.check("--admin-token", () -> shopConfig.adminToken(token));
        Infra infra = infraConfig.start();
        infra.superviseServers(); // an embedded server that crashes is restarted (backed off, given up on after 5 in 5 min)
        Shop shop = null;
        ShopEdge edge = null;
        Analytics pipeline = null;
        AtomicReference<Shop> served = new AtomicReference<>();
        OrderEvents orderEvents = null;
        String url;
        try {
            if (analytics) {
                pipeline = Analytics.builder().host(host).httpPort(analyticsPort).tcpPort(analyticsPort == 0 ? 0 : analyticsPort + 1)
                        .store(dataDir.resolve("analytics.duckdb")).service(serviceFigures(served)).start();
                orderEvents = new OrderEvents(pipeline.events());
                shopConfig.orderListener(orderEvents);
            }
            Topology topology = infra.topology();
            PostgresNode pg = topology.primary();
            shopConfig.database(pg.jdbcUrl(), pg.user(), pg.password()).redis(topology.redis().uri());
            if (replicas > 0) {
                shopConfig.replicas(topology.replicas().stream().map(PostgresNode::jdbcUrl).toList());
            }
            if (nodes == 1) {
                shop = serveOnly ? Shop.serve(shopConfig.build()) : Shop.start(shopConfig.build(), seedSpec, progress(out));
                served.set(shop);
                if (orderEvents != null) {
                    Gauge.builder("headroom.analytics.undelivered.orders", orderEvents, OrderEvents::undelivered)
                            .description("committed orders whose analytics event the engine could not take").register(shop.registry());
                }
                if (warm) {
                    shop.warmCaches(progress(out));
                }
                url = shop.url();
            } else {
                // Seeded once here, so that the nodes find the data ready instead of racing to seed it.
                Shop.prepare(shopConfig.build(), seedSpec, progress(out));
                List<Node> started = infra.startNodes(nodeSpecs(topology, shopConfig.build().switches(), token));
                edge = ShopEdge.start(started, host, port, algorithm, token, progress(out));
                url = edge.url();
            }
        } catch (Exception e) {
            if (shop != null) {
                shop.close();
            }
            if (pipeline != null) {
                pipeline.close();
            }
            infra.close();
            throw e;
        }
        ShopEdge inFront = edge;
        Analytics beside = pipeline;

        Shop inProcess = shop;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("stopping: finishing in-flight requests (up to " + shutdownGrace + " s)");
            out.flush();
            if (inProcess != null) {
                inProcess.close();
            }
            if (inFront != null) {
                inFront.close();
            }
            if (beside != null) {
                try {
                    beside.close();
                } catch (Exception e) {
                    out.println("analytics did not close cleanly: " + e.getMessage());
                }
            }
            infra.close();
            out.println("stopped");
            out.flush();
            stopped.countDown();
        }, "headroom-shutdown"));
        ShopConfig started = shopConfig.build();
        out.printf("optimizations %s, pool %s, data %s%n", started.switches().id(),
                started.has(Switch.POOL) ? started.poolSize() + " connections" : "none (a connection per request)",
                dataDir.toAbsolutePath().normalize());
        infra.nodes().forEach(node -> out.println(node.announcement()));
        if (inProcess != null) {
            // The shop serves from this JVM: its process is this one.
            out.printf("%s node-1 %s pid %d%n", NodeKind.NODE.label(), url.replaceFirst("^http://", ""), ProcessHandle.current().pid());
        }
        if (inFront != null) {
            inFront.announce(out);
        }
        if (adminToken == null) {
            out.printf("admin-token %s%n", token); // once, here only: a given token is the user's to keep
        }
        if (beside != null) {
            out.printf("dashboard %s%n", beside.dashboardUrl());
            out.printf("analytics events: POST http://%s:%d/events (NDJSON), binary frames on tcp://%s:%d%n", host, beside.httpPort(), host,
                    beside.tcpPort());
        }
        // Counted from the JVM's start, so the figure includes everything the user waited for but the build.
        long millis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        out.printf("ready %s (%d s)%n", url, Math.round(millis / 1000.0));
        out.flush();
        stopped.await();
        return 0;
    }

    /** Each node runs this command again in its own JVM, as one shop on the servers this one started: the same flags. */
    private List<JvmNodeSpec> nodeSpecs(Topology topology, Switches switches, String token) {
        List<String> flags = new ArrayList<>(List.of("--host", host, "--optimize", switches.id(),
                "--l1-entries", Long.toString(l1Entries), "--users", Long.toString(users), "--products", Long.toString(products),
                "--orders", Long.toString(orders), "--seed", Long.toString(seed), "--shutdown-grace", Integer.toString(shutdownGrace)));
        if (poolSize != 0) {
            flags.addAll(List.of("--pool-size", Integer.toString(poolSize)));
        }
        replicaUrls.forEach(url -> flags.addAll(List.of("--replica-url", url)));
        flags.addAll(connectionGuard.flags());
        if (rateLimit != null) {
            flags.addAll(List.of("--rate-limit", rateLimit));
        }
        return ShopNodeSpecs.of(topology, dataDir, flags, nodes, port == 0 ? 0 : port + 1, List.of(), warm ? 1 : 0, List.of("--warm"), token);
    }

    /** The dashboard's service panel: the shop's own meters once it serves, nothing before. */
    private static Supplier<ServiceFigures> serviceFigures(AtomicReference<Shop> served) {
        AtomicReference<ShopFigures> figures = new AtomicReference<>();
        return () -> {
            Shop shop = served.get();
            if (shop == null) {
                return ServiceFigures.NONE;
            }
            return figures.updateAndGet(f -> f != null ? f : new ShopFigures(shop.registry())).get();
        };
    }

    private static Consumer<String> progress(PrintWriter out) {
        return line -> {
            out.println(line);
            out.flush();
        };
    }
}
