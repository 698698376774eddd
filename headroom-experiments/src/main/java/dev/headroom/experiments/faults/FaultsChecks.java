package dev.headroom.experiments.faults;

import dev.headroom.experiments.edge.EdgeChecks;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's checks, per fault: nothing acknowledged lost (nor doubled), with some orders acknowledged at all (a ledger
 * of nothing proves nothing); and the shop back within the SLO before the recovery phase was over, which needs the
 * fault to have ended (a crashed server restarted by the supervisor). The p99 during a fault is reported, not
 * bounded: it is what the fault costs, and the breaker is what will lower it.
 */
final class FaultsChecks {
    private FaultsChecks() {
    }

    static List<EdgeChecks.Check> of(FaultsLabResult r) {
        List<EdgeChecks.Check> checks = new ArrayList<>();
        for (FaultsLabResult.FaultResult f : r.faults()) {
            checks.add(new EdgeChecks.Check(f.name() + ": no acknowledged order lost or doubled", f.acknowledged() > 0 && f.lost() == 0 && f.duplicated() == 0,
                    String.format("%,d acknowledged, %d lost, %d doubled", f.acknowledged(), f.lost(), f.duplicated())));
            checks.add(new EdgeChecks.Check(f.name() + ": the SLO holds again within the recovery phase", f.faultMs() >= 0 && f.recoveryMs() >= 0,
                    String.format("fault %s, then recovery %s (p99 <= %.0f ms, errors <= %.0f %% per %d ms bucket for %,d ms, within the %s phase)",
                            FaultRun.millis(f.faultMs()), FaultRun.millis(f.recoveryMs()), r.sloP99Ms(), 100 * r.sloMaxErrorShare(), r.bucketMs(), r.sustainMs(),
                            FaultRun.millis(r.recoveryPhaseMs()))));
        }
        return checks;
    }
}
