package dev.headroom.lab.slo;

import dev.headroom.lab.run.RunResult;
import java.util.List;

/** Exit codes of {@code headroom load}, in order of precedence: usage, then invalid run, then a failed SLO. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int SLO_FAILED = 1;
    public static final int USAGE = 2;
    public static final int INVALID = 3;

    private ExitCodes() {
    }

    /** 3 when the run is invalid, else 1 when any SLO failed, else 0 (2 is decided before a run starts). */
    public static int of(RunResult result, List<SloResult> slos) {
        if (!result.valid()) {
            return INVALID;
        }
        return slos.stream().allMatch(SloResult::passed) ? OK : SLO_FAILED;
    }
}
