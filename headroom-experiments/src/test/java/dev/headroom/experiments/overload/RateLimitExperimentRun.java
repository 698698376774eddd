package dev.headroom.experiments.overload;

import dev.headroom.experiments.ProgressLog;
import java.io.PrintWriter;
import java.util.Set;

/**
 * Runs experiment 5 alone, before {@code headroom lab overload} can: {@code java -cp ... RateLimitExperimentRun [--quick]}
 * from the test class path. Not a test (its name does not end in Test): a measuring run by hand.
 */
final class RateLimitExperimentRun {
    private RateLimitExperimentRun() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        PrintWriter out = new PrintWriter(System.out, true);
        OverloadLabOptions options = new OverloadLabOptions(quick, OverloadLabOptions.DEFAULT_SEED, Set.of(Experiment.RATE_LIMIT), null, null);
        long start = System.nanoTime();
        try (OverloadRig rig = OverloadRig.start(options, ProgressLog.to(out))) {
            System.out.println(RateLimitExperiment.run(rig));
        }
        System.out.printf("%.1f s%n", (System.nanoTime() - start) / 1e9);
    }
}
