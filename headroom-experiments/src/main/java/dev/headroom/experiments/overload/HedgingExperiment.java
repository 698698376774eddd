package dev.headroom.experiments.overload;

/** Placeholder until this experiment lands (issue 16 work in progress). */
final class HedgingExperiment {
    private HedgingExperiment() {
    }

    static HedgingResult run(OverloadRig rig) throws Exception {
        throw new UnsupportedOperationException("the Hedging experiment is not built yet");
    }
}
