package dev.headroom.experiments.faults;

import dev.headroom.experiments.ProgressLog;
import java.time.Duration;

/**
 * One fault {@code headroom lab faults} injects under load. The lab runs the load, calls {@link #inject} after the
 * steady phase, and measures until the recovery phase after the window it returns has ended; what the fault does
 * is all an implementation says. New faults (slow clients) hang in as a {@link Fault} constant.
 */
public interface FaultExperiment {
    /** Its id on the command line and in the JSON: {@code pg-kill}. */
    String name();

    /** What it does, one sentence, for the console and the page. */
    String description(FaultsLabOptions options);

    /** The longest the fault may take from its start to its end (a supervised restart included): the run leaves room for it. */
    Duration budget(FaultsLabOptions options);

    /**
     * Injects the fault now and returns once it has ended (the server back, thawed, the link healed), or once
     * {@link #budget} has passed without that.
     */
    FaultWindow inject(FaultRig rig, ProgressLog progress) throws Exception;
}
