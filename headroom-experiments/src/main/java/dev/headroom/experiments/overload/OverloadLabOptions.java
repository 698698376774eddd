package dev.headroom.experiments.overload;

import dev.headroom.experiments.ReportFiles;
import java.nio.file.Path;
import java.util.Set;

/**
 * What {@code headroom lab overload} runs, checked here so that a bad value fails before anything starts. Sizes follow
 * from {@code quick}: the full lab takes minutes, {@code --quick} a smoke test for CI (not a measurement).
 *
 * @param quick       small data, short runs
 * @param seed        of the data and of the workloads' choices
 * @param experiments which to run (all by default)
 * @param json        where the result goes as JSON, or null
 * @param html        where the report goes as a self-contained HTML page, or null
 */
public record OverloadLabOptions(boolean quick, long seed, Set<Experiment> experiments, Path json, Path html) {
    public static final long DEFAULT_SEED = 42;

    public OverloadLabOptions {
        if (experiments == null || experiments.isEmpty()) {
            throw new IllegalArgumentException("give at least one experiment, among " + Experiment.all());
        }
        experiments = Set.copyOf(experiments);
        ReportFiles.checkWritable("--json", json);
        ReportFiles.checkWritable("--html", html);
    }

    public static OverloadLabOptions defaults() {
        return new OverloadLabOptions(false, DEFAULT_SEED, Experiment.all(), null, null);
    }

    public boolean runs(Experiment e) {
        return experiments.contains(e);
    }
}
