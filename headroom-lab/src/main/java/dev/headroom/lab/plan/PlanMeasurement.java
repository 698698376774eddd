package dev.headroom.lab.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What one instance sustains, in requests per second, and where that figure came from: given ({@code --instance-rps}),
 * or read from a measured run ({@code --from FILE}):
 * <ul>
 *   <li>a demo JSON ({@code headroom demo --json}): a step's {@code throughput_rps} (the highest sustained rate of the
 *       whole cluster, the load split evenly) divided by {@code settings.nodes}; the last, most optimized step unless
 *       {@code --step} names another. The step's {@code db_ms_per_request} comes along, for the pool size.</li>
 *   <li>a throughput-lab JSON ({@code headroom lab throughput --json}): the best {@code throughput_rps} of its
 *       {@code points}, with the USL fit ({@code sigma}, {@code kappa}, {@code lambda}, {@code n_star}, {@code x_max})
 *       kept beside it, so the plan can warn when an instance would be loaded past {@code x_max}.</li>
 * </ul>
 * A file that is neither fails with a message naming {@code --from} and what it lacks.
 */
public final class PlanMeasurement {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The USL fit of a throughput-lab run, each null when the file has none.
     *
     * @param xMax  the fit's peak throughput, req/s
     * @param nStar the concurrency of that peak; null when κ = 0 (no peak)
     */
    public record Fit(Double sigma, Double kappa, Double lambda, Double nStar, Double xMax) {
    }

    final CapacityFraction rps;
    private final String formula;
    private final String source;
    private final BigDecimal dbMsPerRequest;
    private final String dbMsSource;
    private final Fit fit;
    private final List<String> warnings;

    private PlanMeasurement(CapacityFraction rps, String formula, String source, BigDecimal dbMsPerRequest,
                            String dbMsSource, Fit fit, List<String> warnings) {
        this.rps = rps;
        this.formula = formula;
        this.source = source;
        this.dbMsPerRequest = dbMsPerRequest;
        this.dbMsSource = dbMsSource;
        this.fit = fit;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * The rate given on the command line.
     *
     * @throws IllegalArgumentException unless it is above 0
     */
    public static PlanMeasurement given(BigDecimal instanceRps) {
        Objects.requireNonNull(instanceRps, "--instance-rps");
        if (instanceRps.signum() <= 0) {
            throw new IllegalArgumentException("--instance-rps must be a number above 0, was '" + instanceRps.toPlainString() + "'");
        }
        CapacityFraction rps = CapacityFraction.of(instanceRps);
        return new PlanMeasurement(rps, "--instance-rps = " + rps.operand() + " req/s", "--instance-rps", null, null, null, List.of());
    }

    /**
     * The rate measured in {@code file}, a demo or a throughput-lab JSON.
     *
     * @param step the demo step to take, or null for the last one; only for a demo JSON
     * @throws IllegalArgumentException naming {@code --from} (or {@code --step}) when the file cannot be read, is not
     *                                  JSON, is neither kind, or lacks a figure the plan needs
     */
    public static PlanMeasurement read(Path file, String step) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("--from: cannot read " + file + " (no such file)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("--from: cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("--from: " + file + " is not JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        if (root != null && root.path("steps").isArray() && root.path("settings").isObject()) {
            return demo(file, root, step);
        }
        if (root != null && root.path("points").isArray()) {
            if (step != null) {
                throw new IllegalArgumentException("--step picks a step of a demo JSON; " + file + " is a throughput-lab JSON");
            }
            return throughput(file, root);
        }
        throw new IllegalArgumentException("--from: " + file + " is neither a demo JSON (headroom demo --json: 'steps' and 'settings') "
                + "nor a throughput-lab JSON (headroom lab throughput --json: 'points')");
    }

    private static PlanMeasurement demo(Path file, JsonNode root, String stepName) {
        List<JsonNode> steps = new ArrayList<>();
        root.get("steps").forEach(steps::add);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("--from: the demo JSON " + file + " has no steps");
        }
        JsonNode nodesField = root.get("settings").get("nodes");
        if (nodesField == null || !nodesField.canConvertToInt() || !nodesField.isIntegralNumber() || nodesField.asInt() < 1) {
            throw new IllegalArgumentException("--from: the demo JSON " + file + " must give settings.nodes, a whole number of at least 1");
        }
        int nodes = nodesField.asInt();
        JsonNode step;
        if (stepName == null) {
            step = steps.getLast();
        } else {
            step = steps.stream().filter(s -> stepName.equals(s.path("name").asText(null))).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("--step must be one of the steps in " + file + ": "
                            + steps.stream().map(s -> s.path("name").asText("?")).collect(Collectors.joining(", ")) + "; was '" + stepName + "'"));
        }
        String name = step.path("name").asText("?");
        JsonNode throughputField = step.get("throughput_rps");
        if (throughputField == null || !throughputField.isNumber()) {
            throw new IllegalArgumentException("--from: step " + name + " in " + file + " has no throughput_rps number");
        }
        BigDecimal throughput = BigDecimal.valueOf(throughputField.asDouble());
        if (throughput.signum() <= 0) {
            throw new IllegalArgumentException("--from: step " + name + " in " + file + " sustained no rate (throughput_rps "
                    + throughputField.asText() + "); pick another with --step");
        }
        CapacityFraction perNode = new CapacityFraction(throughput, BigDecimal.valueOf(nodes));
        String slo = root.path("slo").asText("the SLO");
        JsonNode capacityField = step.get("capacity_rps");
        String capacity = capacityField != null && capacityField.isNumber() && capacityField.asDouble() > 0
                ? "; at " + slo + ": " + new CapacityFraction(BigDecimal.valueOf(capacityField.asDouble()), BigDecimal.valueOf(nodes)).operand() + " req/s"
                : "";
        String formula = String.format(Locale.ROOT, "throughput of step %s / nodes = %s / %d = %s req/s (demo %s%s)", name,
                CapacityFraction.of(throughput).operand(), nodes, perNode.operand(), file.getFileName(), capacity);
        List<String> warnings = new ArrayList<>();
        if (!step.path("valid").asBoolean(true)) {
            List<String> reasons = new ArrayList<>();
            step.path("invalid_reasons").forEach(r -> reasons.add(r.asText()));
            warnings.add("step " + name + " was not measured validly" + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")")
                    + ": its throughput may be wrong");
        }
        if (root.path("settings").path("quick").asBoolean(false)) {
            warnings.add("the demo ran with --quick (a fifth of the data, shorter runs): measure without it to plan");
        }
        JsonNode db = step.get("db_ms_per_request");
        BigDecimal dbMs = db != null && db.isNumber() && db.asDouble() > 0 ? BigDecimal.valueOf(db.asDouble()) : null;
        return new PlanMeasurement(perNode, formula,
                "demo " + file + " step " + name + " (throughput_rps " + throughput.toPlainString() + " / " + nodes + " nodes)",
                dbMs, dbMs == null ? null : "db_ms_per_request of step " + name, null, warnings);
    }

    private static PlanMeasurement throughput(Path file, JsonNode root) {
        JsonNode best = null;
        for (JsonNode p : root.get("points")) {
            JsonNode x = p.get("throughput_rps");
            if (x == null || !x.isNumber() || !p.path("concurrency").isNumber()) {
                throw new IllegalArgumentException("--from: every point in " + file + " must have numbers concurrency and throughput_rps");
            }
            if (best == null || x.asDouble() > best.get("throughput_rps").asDouble()) {
                best = p;
            }
        }
        if (best == null || best.get("throughput_rps").asDouble() <= 0) {
            throw new IllegalArgumentException("--from: the throughput-lab JSON " + file + " has no point with a throughput above 0");
        }
        BigDecimal rate = BigDecimal.valueOf(best.get("throughput_rps").asDouble());
        CapacityFraction rps = CapacityFraction.of(rate);
        Fit fit = new Fit(number(root, "sigma"), number(root, "kappa"), number(root, "lambda"), number(root, "n_star"), number(root, "x_max"));
        String formula = String.format(Locale.ROOT, "best measured throughput = %s req/s at concurrency %s (lab throughput %s)", rps.operand(),
                CapacityFraction.decimal(BigDecimal.valueOf(best.get("concurrency").asDouble())), file.getFileName());
        return new PlanMeasurement(rps, formula,
                "lab throughput " + file + " (best point, concurrency " + best.get("concurrency").asText() + ")", null, null, fit, List.of());
    }

    private static Double number(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("--from: " + field + " must be a number or null, was " + n);
        }
        return n.asDouble();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }

    /** The rate, exact to the double. */
    public double instanceRps() {
        return rps.doubleValue();
    }

    /** The plan line's right-hand side: how the rate was found, with its numbers. */
    public String formula() {
        return formula;
    }

    /** For the JSON: {@code --instance-rps}, or the file, step or point it came from. */
    public String source() {
        return source;
    }

    /** The database time per request the measured run saw (a demo JSON's step), or null. */
    public BigDecimal dbMsPerRequest() {
        return dbMsPerRequest;
    }

    /** Which figure {@link #dbMsPerRequest()} is, or null. */
    public String dbMsSource() {
        return dbMsSource;
    }

    /** The USL fit of a throughput-lab run, or null. */
    public Fit fit() {
        return fit;
    }

    /** What makes the figure doubtful (an invalid step, a quick run). */
    public List<String> warnings() {
        return warnings;
    }
}
