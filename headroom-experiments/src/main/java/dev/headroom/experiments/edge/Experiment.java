package dev.headroom.experiments.edge;

import dev.headroom.experiments.ExperimentList;
import java.util.EnumSet;
import java.util.Set;

/** The lab's experiments, by the ids {@code --experiments} takes. */
public enum Experiment {
    PROXY_COST("proxy-cost"),
    SLOW_NODE("slow-node"),
    FAILOVER("failover"),
    SCALE_OUT("scale-out");

    private final String id;

    Experiment(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Every experiment, in order. */
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
