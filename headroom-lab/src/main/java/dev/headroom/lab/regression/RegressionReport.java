package dev.headroom.lab.regression;

import dev.headroom.lab.report.JsonReport;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.slo.SloResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The JSON result of a gated run: {@link JsonReport}'s fields for the target (its rounds pooled, see
 * {@link RunResults#pool}), then a {@code regression} object ({@link Comparison#json()}, or
 * {@link Comparison#invalidJson} when a run was invalid). The file can itself be a later run's stored reference.
 */
public final class RegressionReport {
    private RegressionReport() {
    }

    public static void write(RunResult target, List<SloResult> slos, Map<String, Object> regression, Path file) throws IOException {
        Files.writeString(file, JsonReport.toJson(target, slos, Map.of("regression", regression)));
    }
}
