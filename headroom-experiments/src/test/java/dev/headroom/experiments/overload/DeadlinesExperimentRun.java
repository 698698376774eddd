package dev.headroom.experiments.overload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.headroom.experiments.ProgressLog;
import java.io.PrintWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Runs experiment 6 on its own until {@code headroom lab overload --experiments deadlines} exists: a measurement, not
 * a CI test, so only when asked, {@code -Dheadroom.deadlines=quick} or {@code =full} (the lab's --quick smoke test
 * covers CI). Checks the measurement is whole; the figures are what it prints.
 */
class DeadlinesExperimentRun {
    @Test
    @EnabledIfSystemProperty(named = "headroom.deadlines", matches = "quick|full")
    void measures() throws Exception {
        boolean quick = System.getProperty("headroom.deadlines").equals("quick");
        OverloadLabOptions options = new OverloadLabOptions(quick, OverloadLabOptions.DEFAULT_SEED, Set.of(Experiment.DEADLINES), null, null);
        DeadlinesResult r;
        try (OverloadRig rig = OverloadRig.start(options, ProgressLog.to(new PrintWriter(System.out, true)))) {
            r = DeadlinesExperiment.run(rig);
        }
        System.out.println(r);
        assertThat(r.requests()).isPositive();
        assertThat(r.wastedMsWithout()).as("work past the deadline without propagation").isPositive();
        assertThat(r.busyMsWith()).as("the searches ran with propagation too").isPositive();
    }
}
