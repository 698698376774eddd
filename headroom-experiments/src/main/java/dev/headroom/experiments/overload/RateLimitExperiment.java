package dev.headroom.experiments.overload;

/** Placeholder until this experiment lands (issue 16 work in progress). */
final class RateLimitExperiment {
    private RateLimitExperiment() {
    }

    static RateLimitResult run(OverloadRig rig) throws Exception {
        throw new UnsupportedOperationException("the RateLimit experiment is not built yet");
    }
}
