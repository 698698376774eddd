package dev.headroom.experiments.overload;

/** Placeholder until this experiment lands (issue 16 work in progress). */
final class RetryStormExperiment {
    private RetryStormExperiment() {
    }

    static RetryStormResult run(OverloadRig rig) throws Exception {
        throw new UnsupportedOperationException("the RetryStorm experiment is not built yet");
    }
}
