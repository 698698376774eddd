package dev.headroom.lab.slo;

import dev.headroom.lab.run.RunResult;
import java.util.List;

/**
 * Exit codes of {@code headroom load}, in order of precedence: usage (2), then an invalid run (3), then a
 * regression against {@code --baseline} (4), then a failed SLO (1); 0 when none applies. A gated run is invalid
 * when any of its runs, the reference's included, is invalid: then nothing was compared.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int SLO_FAILED = 1;
    public static final int USAGE = 2;
    public static final int INVALID = 3;
    /** A figure got worse than {@code --max-regression} allows, beyond the noise ({@code dev.headroom.lab.regression}). */
    public static final int REGRESSION = 4;

    private ExitCodes() {
    }

    /** 3 when the run is invalid, else 1 when any SLO failed, else 0 (2 is decided before a run starts). */
    public static int of(RunResult result, List<SloResult> slos) {
        return of(result, slos, false);
    }

    /** 3 when the run is invalid, else 4 when it {@code regressed}, else 1 when any SLO failed, else 0. */
    public static int of(RunResult result, List<SloResult> slos, boolean regressed) {
        if (!result.valid()) {
            return INVALID;
        }
        if (regressed) {
            return REGRESSION;
        }
        return slos.stream().allMatch(SloResult::passed) ? OK : SLO_FAILED;
    }
}
