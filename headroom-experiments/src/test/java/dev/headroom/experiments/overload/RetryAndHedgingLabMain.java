package dev.headroom.experiments.overload;

import dev.headroom.experiments.ProgressLog;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/**
 * Runs the retry-storm and tail experiments by hand, before {@code headroom lab overload} lists them:
 * {@code java -cp … RetryAndHedgingLabMain [quick] [retry-storm|hedging]} (test scope: not part of the lab, not run by CI).
 */
final class RetryAndHedgingLabMain {
    private RetryAndHedgingLabMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> given = List.of(args);
        boolean quick = given.contains("quick");
        boolean storm = !given.contains("hedging");
        boolean tail = !given.contains("retry-storm");
        OverloadLabOptions options = new OverloadLabOptions(quick, OverloadLabOptions.DEFAULT_SEED, Set.of(Experiment.RETRY_STORM, Experiment.HEDGING),
                null, null);
        PrintWriter out = new PrintWriter(System.out, true);
        try (OverloadRig rig = OverloadRig.start(options, ProgressLog.to(out))) {
            if (storm) {
                out.println(RetryStormExperiment.run(rig));
            }
            if (tail) {
                out.println(HedgingExperiment.run(rig));
            }
        }
    }
}
