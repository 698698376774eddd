package dev.headroom.experiments.overload;

/** Placeholder until this experiment lands (issue 16 work in progress). */
final class OverloadExperiment {
    private OverloadExperiment() {
    }

    static OverloadResult run(OverloadRig rig) throws Exception {
        throw new UnsupportedOperationException("the Overload experiment is not built yet");
    }
}
