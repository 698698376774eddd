package dev.headroom.experiments.cache;

import static dev.headroom.experiments.ProgressLog.seconds;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.headroom.experiments.DatabaseHop;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.ReportFiles;
import dev.headroom.experiments.ScratchInfra;
import dev.headroom.shop.Shop;
import dev.headroom.shop.cache.CacheMode;
import dev.headroom.shop.cache.ShopCaches;
import dev.headroom.shop.seed.SeedSpec;
import io.lettuce.core.RedisClient;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cache lab: its own PostgreSQL and Redis, two shop nodes, and every cache configuration driven at the same
 * offered rate (a share of the uncached maximum), then a stampede and a Redis outage. The measuring is the load
 * lab's: open-model runs, latency from each request's intended time. The nodes reach PostgreSQL on loopback, or
 * one hop away through a {@link DatabaseHop}.
 *
 * <p>Phases, in order: the hop's round trip measured ({@link DatabaseHop#measure()}), {@link MaxRateProbe} (the
 * uncached maximum), {@link ConfigurationRun} for each configuration and round, {@link StampedeExperiment},
 * {@link OutageExperiment}; then {@link Checks} and {@link CacheLabReport}.
 */
public final class CacheLab {
    private CacheLab() {
    }

    /**
     * Runs the lab, printing its progress and then the result's table and checks to {@code out}, and writes the
     * JSON and HTML files the options name.
     */
    public static CacheLabResult run(CacheLabOptions options, PrintWriter out) throws Exception {
        CacheLabResult result = measure(options, ProgressLog.to(out));
        CacheLabReport.console(result, out);
        ReportFiles.write(result, options.json(), options.html(), file -> CacheLabReport.html(result, file), out);
        return result;
    }

    static CacheLabResult measure(CacheLabOptions o, ProgressLog progress) throws Exception {
        long started = System.nanoTime();
        keepHeapSizeAcrossFullGcs();
        RedisClient redis = null;
        try (ScratchInfra servers = ScratchInfra.start(false, progress);
             DatabaseHop database = DatabaseHop.to(servers.infra().topology().primary(), o.dbRtt())) {
            redis = RedisClient.create(servers.infra().topology().redis().uri());
            Rig rig = new Rig(servers, database, redis, o, progress);
            Double measuredRtt = database.measureAndSay(progress);
            progress.line(String.format("data: %,d products (Zipf %.2f over all of them, %.0f%% writes)",
                    o.products(), o.zipfExponent(), 100 * o.writeShare()));
            Shop.prepare(rig.config(CacheMode.NONE), new SeedSpec(Math.max(1000, o.products() / 10), o.products(),
                    Math.max(1000, o.products() / 10), o.seed()), progress.indented()::line);

            if (o.warmup().plus(o.duration()).compareTo(ShopCaches.L1_TTL) >= 0) {
                progress.line(String.format("note: warm-up + duration reach the L1 TTL (%d s): the L1s expire entries, which "
                        + "'optimal' and 'policy' (replays of the trace without expiry) do not", ShopCaches.L1_TTL.toSeconds()));
            }
            double maxRate = MaxRateProbe.measure(rig);
            double offered = o.loadShare() * maxRate;
            progress.line(String.format("offered rate for every configuration: %.0f/s (%.0f%% of %.0f/s), %s warm-up + %s measured each",
                    offered, 100 * o.loadShare(), maxRate, seconds(o.warmup()), seconds(o.duration())));

            List<CacheLabResult.Configuration> configurations = configurations(rig, offered);
            CacheLabResult.Stampede stampede = StampedeExperiment.run(rig);
            CacheLabResult.Outage outage = OutageExperiment.run(rig, offered);
            Double rttMs = o.dbRtt() == null ? null : o.dbRtt().toNanos() / 1e6;
            CacheLabResult.Settings settings = new CacheLabResult.Settings(o.products(), o.zipfExponent(), o.writeShare(),
                    o.l1Entries(), o.loadShare(), maxRate, offered, o.warmup().toMillis() / 1000.0,
                    o.duration().toMillis() / 1000.0, o.rounds(), o.seed(), Rig.NODES, rttMs, measuredRtt, ReportFiles.machine());
            return new CacheLabResult(settings, configurations, stampede, outage,
                    Checks.of(configurations, rttMs, stampede, outage), (System.nanoTime() - started) / 1e9);
        } finally {
            if (redis != null) {
                redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /** Every configuration, round after round in turn; each reported by its median-p99 round. */
    private static List<CacheLabResult.Configuration> configurations(Rig rig, double offered) throws Exception {
        List<CacheMode> modes = rig.options().configurations();
        int rounds = rig.options().rounds();
        List<List<CacheLabResult.Configuration>> byMode = new ArrayList<>();
        modes.forEach(mode -> byMode.add(new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (int i = 0; i < modes.size(); i++) {
                CacheMode mode = modes.get(i);
                rig.progress().line("config " + mode.id() + (rounds > 1 ? " (round " + round + " of " + rounds + ")" : "") + ":");
                byMode.get(i).add(ConfigurationRun.measure(rig, mode, offered));
            }
        }
        return byMode.stream().map(CacheLab::medianByP99).toList();
    }

    /** Of one configuration's rounds, the one with the median p99 (the lower middle of an even count), its p99s attached. */
    static CacheLabResult.Configuration medianByP99(List<CacheLabResult.Configuration> rounds) {
        List<CacheLabResult.Configuration> sorted = rounds.stream().sorted(Comparator.comparingDouble(CacheLabResult.Configuration::p99Ms)).toList();
        return sorted.get((sorted.size() - 1) / 2).standingFor(rounds);
    }

    /**
     * A full GC lets G1 shrink the heap to what is live plus {@code MaxHeapFreeRatio}; the next configuration
     * would then run on a small heap and pause for young collections several times a second, a cost of the
     * measuring, not of the cache. Keeping the heap's size (the flag is manageable at run time) avoids that.
     */
    private static void keepHeapSizeAcrossFullGcs() {
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).setVMOption("MaxHeapFreeRatio", "100");
    }
}
