package dev.headroom.experiments.journey;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.infra.Infra;
import dev.headroom.infra.PostgresNode;
import dev.headroom.lab.scenario.Scenario;
import dev.headroom.shop.Shop;
import dev.headroom.shop.ShopConfig;
import dev.headroom.shop.Switches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code headroom demo}: the shop from its naive baseline to fully optimized, one switch per step, every step
 * measured the same way on the same servers and data. Starts embedded PostgreSQL (with {@code pg_stat_statements})
 * and Redis in the data folder, seeds the data once (reused next time), then per step: the schema to the step's
 * switches, an empty Redis, {@link JourneyOptions#nodes()} fresh shop JVMs, and {@link StepRun}'s three measurements.
 */
public final class Journey {
    /** A request kind is slow when its baseline p50 is at least this. */
    public static final double SLOW_MS = 100;
    static final String SCENARIO = "dev/headroom/experiments/journey/journey.scenario";
    /**
     * The servers (PostgreSQL, Redis, the shop nodes) run at this niceness, the load generator at the default: on the
     * same cores, a saturated step would otherwise starve the generator's thread (schedule lags of 5-200 ms were seen),
     * and every run near the throughput would be invalid. The generator needs a few percent of a core; the servers
     * keep both cores for everything else.
     */
    static final int SERVER_NICENESS = 10;

    private Journey() {
    }

    public static JourneyResult run(JourneyOptions o, NodeLauncher launcher, ProgressLog progress) throws Exception {
        long start = System.nanoTime();
        ProgressLog detail = progress.indented();
        int replicas = o.steps().stream().anyMatch(JourneyStep::replicas) ? JourneyStep.REPLICAS : 0;
        try (Infra infra = Infra.builder().dataDir(o.dataDir()).postgresPort(0).redisPort(0).durable(true).replicas(replicas)
                .postgresSetting("shared_preload_libraries", "pg_stat_statements")
                .stopOnShutdown(true).log(detail::line).start()) {
            infra.nodes().forEach(node -> {
                progress.line(node.announcement());
                node.nice(SERVER_NICENESS);
            });
            PostgresNode pg = infra.topology().primary();
            Shop.prepare(ShopConfig.builder().switches(Switches.NONE).database(pg.jdbcUrl(), pg.user(), pg.password())
                    .redis(infra.topology().redis().uri()).build(), o.data(), detail::line);
            Scenario scenario = scenario(o);
            progress.line("workload: " + scenario.describe());
            long postgresPid = infra.node("primary").pid().orElseThrow();
            List<StepResult> steps = new ArrayList<>();
            try (DatabaseStatements db = DatabaseStatements.open(pg, infra.topology().replicas())) {
                StepRun run = new StepRun(o, scenario, db, postgresPid, detail);
                Double offered = o.offeredRate();
                for (int i = 0; i < o.steps().size(); i++) {
                    JourneyStep step = o.steps().get(i);
                    progress.line(String.format("[%s] step %d/%d %s: %s", clock(start), i + 1, o.steps().size(), step.name(), step.adds()));
                    Path profiles = o.dataDir().resolve("profiles");
                    List<String> jvmOptions = List.of();
                    if (o.profileCpu()) {
                        Files.createDirectories(profiles);
                        jvmOptions = List.of(CpuProfile.jvmOption(profiles.resolve(step.name() + "-%p.jfr")));
                    }
                    StepResult result;
                    try (ShopCluster cluster = ShopCluster.start(infra, launcher, step, o.nodes(), jvmOptions, detail)) {
                        result = run.measure(step, cluster, offered, rate -> command(o, step, rate));
                    }
                    if (o.profileCpu()) {
                        result = result.withCpuTopFrames(CpuProfile.top(recordings(profiles, step)));
                    }
                    if (offered == null) {
                        offered = result.throughputRps() / 2;
                    }
                    steps.add(result);
                    detail.line(String.format("%s: p50 %s ms, throughput %.0f/s, capacity %.0f/s; bottleneck %s", step.name(),
                            JourneyReport.ms(result.p50Ms()), result.throughputRps(), result.capacityRps(), result.bottleneck()));
                }
                double elapsed = (System.nanoTime() - start) / 1e9;
                List<String> slow = Claims.slowKinds(steps);
                return new JourneyResult(offered, o.slo().expr(), steps.stream().allMatch(StepResult::valid), List.copyOf(steps),
                        Claims.of(steps), settings(o, scenario, slow), elapsed);
            }
        }
    }

    /** The committed scenario with the seeded counts filled in. */
    static Scenario scenario(JourneyOptions o) {
        String text = ReportFiles.resource(SCENARIO).replace("{users}", Long.toString(o.data().users()))
                .replace("{products}", Long.toString(o.data().products()))
                .replace("{orders}", Long.toString(o.data().orders()));
        return Scenario.parse(text, "journey.scenario", Path.of("."));
    }

    /** The command that measures one step alone at the journey's offered rate. */
    static String command(JourneyOptions o, JourneyStep step, double offered) {
        StringBuilder c = new StringBuilder("./headroom demo");
        if (o.quick()) {
            c.append(" --quick");
        }
        c.append(" --steps ").append(step.name());
        c.append(String.format(" --rate %.1f", offered));
        if (!o.slo().expr().equals(JourneyOptions.DEFAULT_SLO)) {
            c.append(" --slo '").append(o.slo().expr()).append('\'');
        }
        return c.append(" --data-dir ").append(o.dataDir()).toString();
    }

    private static List<Path> recordings(Path dir, JourneyStep step) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(step.name() + "-") && f.toString().endsWith(".jfr")).toList();
        }
    }

    private static JourneyResult.Settings settings(JourneyOptions o, Scenario scenario, List<String> slow) {
        Timings t = o.timings();
        String timings = String.format("warm-up %s, latency %s at the offered rate; throughput: a %s closed-model estimate, then open-model probes of %s (after %s)",
                ProgressLog.seconds(t.warmup()), ProgressLog.seconds(t.latency()), ProgressLog.seconds(t.estimate()),
                ProgressLog.seconds(t.probe()), ProgressLog.seconds(t.probeWarmup()));
        String machine = Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version().feature();
        return new JourneyResult.Settings(o.data().users(), o.data().products(), o.data().orders(), o.nodes(), scenario.describe(),
                timings, slow, machine, o.quick());
    }

    private static String clock(long start) {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        return String.format("%02d:%02d", s / 60, s % 60);
    }
}
