package dev.headroom.experiments;

import dev.headroom.experiments.edge.EdgeChecks;
import java.util.List;

/** What a lab run gives: its result, the checks made on it, and how long it took; passed when every check did. */
public record LabOutcome<R>(R result, List<EdgeChecks.Check> checks, double elapsedSeconds) {
    public LabOutcome {
        checks = List.copyOf(checks);
    }

    /** The outcome of a run that began at {@code startedNanos} ({@link System#nanoTime()}). */
    public static <R> LabOutcome<R> since(long startedNanos, R result, List<EdgeChecks.Check> checks) {
        return new LabOutcome<>(result, checks, (System.nanoTime() - startedNanos) / 1e9);
    }

    public boolean passed() {
        return checks.stream().allMatch(EdgeChecks.Check::passed);
    }
}
