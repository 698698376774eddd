package dev.headroom.experiments.overload;

/** Placeholder until this experiment lands (issue 16 work in progress). */
final class DeadlinesExperiment {
    private DeadlinesExperiment() {
    }

    static DeadlinesResult run(OverloadRig rig) throws Exception {
        throw new UnsupportedOperationException("the Deadlines experiment is not built yet");
    }
}
