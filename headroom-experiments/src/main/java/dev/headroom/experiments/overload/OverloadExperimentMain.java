package dev.headroom.experiments.overload;

import java.io.PrintWriter;
import java.util.Set;

/**
 * Runs chosen experiments of the overload lab from the command line until {@code headroom lab overload} exists:
 * {@code java -cp … dev.headroom.experiments.overload.OverloadExperimentMain overload,bulkhead [--quick]}.
 */
public final class OverloadExperimentMain {
    private OverloadExperimentMain() {
    }

    public static void main(String[] args) throws Exception {
        Set<Experiment> chosen = Experiment.parseList(args.length > 0 ? args[0] : "overload,bulkhead");
        boolean quick = args.length > 1 && args[1].equals("--quick");
        PrintWriter out = new PrintWriter(System.out, true);
        OverloadLabResult r = OverloadLab.measure(new OverloadLabOptions(quick, OverloadLabOptions.DEFAULT_SEED, chosen, null, null),
                dev.headroom.experiments.ProgressLog.to(out));
        out.println(r);
        System.exit(0);
    }
}
