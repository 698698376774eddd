package dev.headroom.experiments.overload;

/** Placeholder until this experiment lands (issue 16 work in progress). */
final class BulkheadExperiment {
    private BulkheadExperiment() {
    }

    static BulkheadResult run(OverloadRig rig) throws Exception {
        throw new UnsupportedOperationException("the Bulkhead experiment is not built yet");
    }
}
