package dev.headroom.experiments.analytics;

import dev.headroom.experiments.ExperimentList;
import java.util.EnumSet;
import java.util.Set;

/** The analytics lab's parts, by the ids {@code --experiments} takes, in the order they run. */
public enum Phase {
    INGEST("ingest"),
    FRESHNESS("freshness"),
    LATE("late"),
    HISTORICAL("historical");

    private final String id;

    Phase(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Set<Phase> all() {
        return EnumSet.allOf(Phase.class);
    }

    /** @throws IllegalArgumentException naming an unknown id */
    public static Set<Phase> parseList(String text) {
        return ExperimentList.parse(text, Phase.class, Phase::id);
    }
}
