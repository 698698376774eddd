package dev.headroom.cli;

import dev.headroom.experiments.ReportFiles;
import dev.headroom.lab.plan.CapacityPlan;
import dev.headroom.lab.plan.ErrorBudget;
import dev.headroom.lab.plan.PlanMeasurement;
import dev.headroom.lab.plan.PlanReport;
import dev.headroom.lab.plan.PlanValues;
import dev.headroom.lab.plan.PoolSize;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code headroom plan}: the guides' capacity arithmetic, each formula printed with its numbers. */
@Command(name = "plan",
        mixinStandardHelpOptions = true,
        description = {
                "Plans instances, pool size and error budget from peak demand and one instance's rate.",
                "",
                "Prints each formula with its numbers plugged in:",
                "  peak      = users × requests/min / 60   (or --peak-rps)",
                "  headroom  = peak × headroom factor",
                "  growth    = peak × growth factor",
                "  target    = max(headroom, growth)",
                "  base      = ⌈target / instance rate⌉",
                "  redundant = base + 0, 1 or 2            (--redundancy none, n+1, n+2)",
                "  spare     = ⌈base × (1 + spare)⌉",
                "  instances = max(redundant, spare)       (redundancy: a floor, not added)",
                "  pool      = ⌈instance rate × db time⌉   (Little's law, per instance)",
                "  pool rule = cores × 2 + spindles",
                "  budget    = (100%% - availability) × 43,830 min/month (365.25 / 12 days)",
                "",
                "Rounding: rates are carried exactly and never rounded in between; a req/s result is shown rounded up to a whole "
                        + "request, an operand to 2 decimals; instance and connection counts are rounded up; the error budget is shown "
                        + "to 0.1 minute. So a peak of 16,666.67 req/s shows as 16,667, and 3 × it is 50,000 (not 3 × 16,667 = 50,001).",
                "",
                "The instance rate is --instance-rps, or measured (--from FILE): from a demo JSON (headroom demo --json), the last "
                        + "step's throughput_rps divided by its nodes (--step picks another step; its db_ms_per_request sizes the pool "
                        + "unless --db-time-per-request is given; the demo's nodes share one machine and one PostgreSQL, so the figure "
                        + "is a lower bound for a node of its own, and the database is not part of this plan); from a throughput-lab "
                        + "JSON (headroom lab throughput --json), the best measured point's throughput_rps, with the USL fit's X_max "
                        + "beside it and a warning when target / base instances would load one past X_max.",
                "",
                "Exit code 0 with a plan (warnings included), 2 for a bad flag or file; nothing is written then."},
        footer = {"", "Worked example:",
                "  headroom plan --users 100000 --requests-per-minute 10 \\",
                "                --headroom 2x --growth 3x --instance-rps 500 \\",
                "                --redundancy n+1 --spare 50%%",
                "  peak      = users × requests/min / 60 = 100,000 × 10 / 60 = 16,667 req/s",
                "  headroom  = peak × headroom factor = 16,666.67 × 2 = 33,334 req/s",
                "  growth    = peak × growth factor = 16,666.67 × 3 = 50,000 req/s",
                "  target    = max(headroom, growth) = max(33,334, 50,000) = 50,000 req/s",
                "  instance  = --instance-rps = 500 req/s",
                "  base      = ⌈target / instance rate⌉ = ⌈50,000 / 500⌉ = 100 instances",
                "  redundant = base + 1 (n+1) = 100 + 1 = 101 instances",
                "  spare     = ⌈base × (1 + spare)⌉ = ⌈100 × 1.5⌉ = 150 instances",
                "  instances = max(redundant, spare) = max(101, 150) = 150",
                "",
                "More examples:",
                "  headroom plan --peak-rps 1200 --headroom 2x --from throughput.json \\",
                "                --redundancy n+2 --availability 99.95%%",
                "  headroom plan --peak-rps 1200 --from journey.json --step l1 \\",
                "                --db-time-per-request 4 --cores 16 --json plan.json"})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--users", paramLabel = "N", description = "Users at the peak (with --requests-per-minute).")
    String users;

    @Option(names = "--requests-per-minute", paramLabel = "N", description = "Requests per user per minute at the peak.")
    String requestsPerMinute;

    @Option(names = "--peak-rps", paramLabel = "R", description = "The peak in requests/s, instead of --users and --requests-per-minute.")
    String peakRps;

    @Option(names = "--headroom", paramLabel = "F", description = "Headroom factor over the peak, at least 1 (2x or 2). Default: 1x.")
    String headroom = "1x";

    @Option(names = "--growth", paramLabel = "F", description = "Growth factor over the peak, at least 1 (3x or 3). Default: 1x.")
    String growth = "1x";

    @Option(names = "--instance-rps", paramLabel = "R", description = "Requests/s one instance sustains.")
    String instanceRps;

    @Option(names = "--from", paramLabel = "FILE", description = "Take the instance rate from a measured run: a demo JSON or a throughput-lab JSON.")
    Path from;

    @Option(names = "--step", paramLabel = "NAME", description = "With a demo JSON: the step whose throughput to take. Default: the last.")
    String step;

    @Option(names = "--redundancy", paramLabel = "R", description = "Instances that may fail at peak: none, n+1 or n+2. Default: none.")
    String redundancy = "none";

    @Option(names = "--spare", paramLabel = "P", description = "Spare capacity on top of the base instances, a percentage (50%%). Default: 0%%.")
    String spare = "0%";

    @Option(names = "--db-time-per-request", paramLabel = "MS", description = "Database time (a connection held) per request, ms: "
            + "sizes the pool by Little's law. Default: the demo step's db_ms_per_request with --from, else no pool line.")
    String dbTime;

    @Option(names = "--cores", paramLabel = "N", description = "The database's cores, for cores × 2 + spindles. Default: this machine's processors.")
    String cores;

    @Option(names = "--spindles", paramLabel = "N", description = "The database's effective spindles (0 when its data is all in memory). Default: 1.")
    String spindles;

    @Option(names = "--availability", paramLabel = "P", description = "Availability target, e.g. 99.9%%: prints the downtime it allows per month and year.")
    String availability;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the plan as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        PlanReport report = report();
        if (json != null) {
            report.json(json);
        }
        report.console(spec.commandLine().getOut());
        return 0;
    }

    /** Every flag checked and the plan computed before anything is printed or written. */
    PlanReport report() {
        CapacityPlan.Demand demand = demand();
        BigDecimal headroomFactor = PlanValues.factor("--headroom", headroom);
        BigDecimal growthFactor = PlanValues.factor("--growth", growth);
        CapacityPlan.Redundancy r = CapacityPlan.Redundancy.parse(redundancy);
        BigDecimal sparePercent = PlanValues.percent("--spare", spare);
        BigDecimal db = dbTime == null ? null : PlanValues.positive("--db-time-per-request", dbTime);
        int coreCount = cores == null ? Runtime.getRuntime().availableProcessors() : (int) PlanValues.whole("--cores", cores, 1, PoolSize.MAX);
        int spindleCount = spindles == null ? 1 : (int) PlanValues.whole("--spindles", spindles, 0, PoolSize.MAX);
        ErrorBudget budget = availability == null ? null : new ErrorBudget(PlanValues.availability("--availability", availability));
        ReportFiles.checkWritable("--json", json);
        PlanMeasurement instance = instance();

        CapacityPlan plan = CapacityPlan.of(demand, headroomFactor, growthFactor, instance, r, sparePercent);
        BigDecimal dbMs = db != null ? db : instance.dbMsPerRequest();
        PoolSize pool = dbMs == null && cores == null && spindles == null ? null
                : PoolSize.of(plan, dbMs, db != null ? null : instance.dbMsSource(), coreCount, spindleCount);
        return new PlanReport(plan, pool, budget);
    }

    private CapacityPlan.Demand demand() {
        if (peakRps != null) {
            if (users != null || requestsPerMinute != null) {
                throw new IllegalArgumentException("--peak-rps replaces --users and --requests-per-minute; give one or the other");
            }
            return CapacityPlan.Demand.peak(PlanValues.positive("--peak-rps", peakRps));
        }
        return new CapacityPlan.Demand(users == null ? null : PlanValues.whole("--users", users, 1),
                requestsPerMinute == null ? null : PlanValues.positive("--requests-per-minute", requestsPerMinute), null);
    }

    private PlanMeasurement instance() {
        if (from != null && instanceRps != null) {
            throw new IllegalArgumentException("--from measures the instance rate that --instance-rps gives; give one or the other");
        }
        if (step != null && from == null) {
            throw new IllegalArgumentException("--step picks a step of a demo JSON; give it with --from FILE");
        }
        if (from != null) {
            return PlanMeasurement.read(from, step);
        }
        if (instanceRps == null) {
            throw new IllegalArgumentException("give the instance rate: --instance-rps R, or --from FILE (a demo or throughput-lab JSON)");
        }
        return PlanMeasurement.given(PlanValues.positive("--instance-rps", instanceRps));
    }
}
