package dev.headroom.experiments.overload;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

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
        Set<Experiment> chosen = EnumSet.noneOf(Experiment.class);
        for (String part : text.split(",", -1)) {
            String id = part.strip().toLowerCase(Locale.ROOT);
            chosen.add(Arrays.stream(values()).filter(x -> x.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "the experiments must be among " + Arrays.stream(values()).map(Experiment::id).collect(Collectors.joining(", "))
                            + ", was '" + part.strip() + "'")));
        }
        return chosen;
    }
}
