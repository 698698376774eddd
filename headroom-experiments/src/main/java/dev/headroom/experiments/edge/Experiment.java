package dev.headroom.experiments.edge;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

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
        Set<Experiment> chosen = EnumSet.noneOf(Experiment.class);
        for (String part : text.split(",", -1)) {
            String id = part.strip().toLowerCase(Locale.ROOT);
            Experiment e = Arrays.stream(values()).filter(x -> x.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "the experiments must be among " + Arrays.stream(values()).map(Experiment::id).collect(Collectors.joining(", "))
                            + ", was '" + part.strip() + "'"));
            chosen.add(e);
        }
        return chosen;
    }
}
