package dev.headroom.lab.regression;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.headroom.lab.report.JsonReport;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.slo.SloResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The JSON result of a gated run: {@link JsonReport}'s fields for the target (its rounds pooled, see
 * {@link RunResults#pool}), then a {@code regression} object ({@link Comparison#json()}, or
 * {@link Comparison#invalidJson} when a run was invalid). The file can itself be a later run's stored reference.
 */
public final class RegressionReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RegressionReport() {
    }

    public static void write(RunResult target, java.util.List<SloResult> slos, Map<String, Object> regression, Path file)
            throws IOException {
        Files.writeString(file, toJson(target, slos, regression));
    }

    public static String toJson(RunResult target, java.util.List<SloResult> slos, Map<String, Object> regression)
            throws IOException {
        ObjectNode tree = (ObjectNode) JSON.readTree(JsonReport.toJson(target, slos));
        tree.set("regression", JSON.valueToTree(regression));
        return JSON.writeValueAsString(tree);
    }
}
