package dev.headroom.experiments.faults;

import dev.headroom.experiments.ExperimentList;
import java.util.Set;

/** The lab's faults, in the order they run: the list {@code --faults} chooses from. */
public enum Fault {
    PG_KILL(ProcessCrash.postgres()),
    PG_FREEZE(new PostgresFreeze()),
    REDIS_KILL(ProcessCrash.redis()),
    DB_LINK(new DatabaseLinkFault()),
    NODE_KILL(ProcessCrash.shopNode()),
    SLOW_CLIENTS(new SlowClientsFault());

    private final FaultExperiment experiment;

    Fault(FaultExperiment experiment) {
        this.experiment = experiment;
    }

    public FaultExperiment experiment() {
        return experiment;
    }

    public String id() {
        return experiment.name();
    }

    /** {@code pg-kill,redis-kill} as those faults, in this enum's order; an unknown id is an IllegalArgumentException naming the known ones. */
    public static Set<Fault> parseList(String text) {
        return ExperimentList.parse(text, Fault.class, Fault::id);
    }
}
