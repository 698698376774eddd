package dev.headroom.experiments.overload;

import dev.headroom.experiments.ExperimentList;
import java.util.EnumSet;
import java.util.Set;

/** The overload lab's experiments, by the ids {@code --experiments} takes, in the order they run. */
public enum Experiment {
    OVERLOAD("overload"),
    RETRY_STORM("retry-storm"),
    HEDGING("hedging"),
    BULKHEAD("bulkhead"),
    RATE_LIMIT("rate-limit"),
    DEADLINES("deadlines");

    private final String id;

    Experiment(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Set<Experiment> all() {
        return EnumSet.allOf(Experiment.class);
    }

    /**
     * A comma-separated list of ids, run in this enum's order whatever the list's.
     *
     * @throws IllegalArgumentException naming an unknown id
     */
    public static Set<Experiment> parseList(String text) {
        return ExperimentList.parse(text, Experiment.class, Experiment::id);
    }
}
