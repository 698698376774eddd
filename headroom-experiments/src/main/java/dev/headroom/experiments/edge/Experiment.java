package dev.headroom.experiments.edge;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The lab's experiments, by the ids {@code --experiments} takes. */
public enum Experiment {
    PROXY_COST("proxy-cost", true),
    SLOW_NODE("slow-node", true),
    FAILOVER("failover", false),
    SCALE_OUT("scale-out", false);

    private final String id;
    private final boolean built;

    Experiment(String id, boolean built) {
        this.id = id;
        this.built = built;
    }

    public String id() {
        return id;
    }

    /** False for the experiments not built yet: asking for one is an error, and "all" leaves it out. */
    public boolean built() {
        return built;
    }

    /** Every experiment that is built, in order. */
    public static Set<Experiment> all() {
        return Arrays.stream(values()).filter(Experiment::built).collect(Collectors.toCollection(() -> EnumSet.noneOf(Experiment.class)));
    }

    /**
     * A comma-separated list of ids, run in this enum's order whatever the list's.
     *
     * @throws IllegalArgumentException naming an unknown id, or one not built yet
     */
    public static Set<Experiment> parseList(String text) {
        Set<Experiment> chosen = EnumSet.noneOf(Experiment.class);
        for (String part : text.split(",", -1)) {
            String id = part.strip().toLowerCase(Locale.ROOT);
            Experiment e = Arrays.stream(values()).filter(x -> x.id.equals(id)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                    "the experiments must be among " + Arrays.stream(values()).map(Experiment::id).collect(Collectors.joining(", "))
                            + ", was '" + part.strip() + "'"));
            if (!e.built) {
                throw new IllegalArgumentException(e.id + " is not built yet; the lab runs " + all().stream().map(Experiment::id)
                        .collect(Collectors.joining(", ")) + " for now");
            }
            chosen.add(e);
        }
        return chosen;
    }
}
