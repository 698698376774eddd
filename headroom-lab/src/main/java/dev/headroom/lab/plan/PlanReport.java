package dev.headroom.lab.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The plan as console lines (one formula per line, numbers plugged in, names aligned) and as JSON. The JSON's contract
 * fields are {@code peak_rps}, {@code headroom_rps}, {@code growth_rps}, {@code target_rps} (whole req/s, rounded up,
 * as shown), {@code instances_base}, {@code instances_redundant} and {@code instances}; beside them
 * {@code instances_with_spare}, the inputs ({@code headroom_factor}, {@code growth_factor}, {@code redundancy},
 * {@code spare_percent}), {@code instance_rps} and {@code instance_rps_source}, {@code x_max_rps},
 * {@code load_per_base_instance_rps}, the pool ({@code db_ms_per_request}, {@code pool_size}, {@code pool_rule_of_thumb},
 * {@code cores}, {@code spindles}), the error budget ({@code availability_percent},
 * {@code error_budget_minutes_per_month}, {@code error_budget_minutes_per_year}, exact) and {@code warnings}. A part
 * not asked for is null.
 *
 * @param plan   the instances
 * @param pool   the pool size, or null
 * @param budget the error budget, or null
 */
public record PlanReport(CapacityPlan plan, PoolSize pool, ErrorBudget budget) {
    /** The rounding rule, the output's first line. */
    public static final String RULE = "rounding: rates kept exact; a req/s result shown rounded up, an operand to 2 decimals; counts rounded up";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public PlanReport {
        Objects.requireNonNull(plan, "plan");
    }

    /** Every formula line, names padded to one width, then {@code warning: } lines. */
    public List<String> lines() {
        List<CapacityPlan.Line> formulas = new ArrayList<>(plan.lines());
        if (pool != null) {
            formulas.addAll(pool.lines());
        }
        if (budget != null) {
            String[] b = budget.lines();
            formulas.add(new CapacityPlan.Line("budget", b[0]));
            formulas.add(new CapacityPlan.Line("per year", b[1]));
        }
        int width = formulas.stream().mapToInt(l -> l.name().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add(RULE);
        formulas.forEach(l -> lines.add(String.format("%-" + width + "s = %s", l.name(), l.formula())));
        plan.warnings().forEach(w -> lines.add("warning: " + w));
        return lines;
    }

    public void console(PrintWriter out) {
        lines().forEach(out::println);
        out.flush();
    }

    public void json(Path file) throws IOException {
        JSON.writeValue(file.toFile(), tree());
    }

    Map<String, Object> tree() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("peak_rps", plan.peakRps());
        m.put("headroom_rps", plan.headroomRps());
        m.put("growth_rps", plan.growthRps());
        m.put("target_rps", plan.targetRps());
        m.put("instances_base", plan.instancesBase());
        m.put("instances_redundant", plan.instancesRedundant());
        m.put("instances_with_spare", plan.instancesWithSpare());
        m.put("instances", plan.instances());
        m.put("headroom_factor", plan.headroomFactor().doubleValue());
        m.put("growth_factor", plan.growthFactor().doubleValue());
        m.put("redundancy", plan.redundancy().id());
        m.put("spare_percent", plan.sparePercent().doubleValue());
        m.put("instance_rps", plan.instance().instanceRps());
        m.put("instance_rps_source", plan.instance().source());
        PlanMeasurement.Fit fit = plan.instance().fit();
        m.put("x_max_rps", fit == null ? null : fit.xMax());
        m.put("load_per_base_instance_rps", plan.loadPerBaseInstanceRps().doubleValue());
        m.put("db_ms_per_request", pool == null ? null : number(pool.dbMsPerRequest()));
        m.put("pool_size", pool == null ? null : pool.connections());
        m.put("pool_rule_of_thumb", pool == null ? null : pool.ruleOfThumb());
        m.put("cores", pool == null ? null : pool.cores());
        m.put("spindles", pool == null ? null : pool.spindles());
        m.put("availability_percent", budget == null ? null : budget.availabilityPercent().doubleValue());
        m.put("error_budget_minutes_per_month", budget == null ? null : budget.minutesPerMonth().doubleValue());
        m.put("error_budget_minutes_per_year", budget == null ? null : budget.minutesPerYear().doubleValue());
        m.put("warnings", plan.warnings());
        return m;
    }

    private static Double number(BigDecimal n) {
        return n == null ? null : n.doubleValue();
    }
}
