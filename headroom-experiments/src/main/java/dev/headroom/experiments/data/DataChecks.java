package dev.headroom.experiments.data;

import dev.headroom.experiments.edge.EdgeChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The data lab's acceptance checks, each saying what it compared; a check whose experiment did not run is left
 * out. The read-your-writes pair belongs together: 0 violations with tokens means something only when the same run,
 * without them, shows the violations the tokens prevent.
 */
final class DataChecks {
    private DataChecks() {
    }

    static List<EdgeChecks.Check> of(DataLabResult r) {
        List<EdgeChecks.Check> checks = new ArrayList<>();
        if (r.readScaling() != null) {
            DataLabResult.ScalingPoint none = r.readScaling().getFirst();
            DataLabResult.ScalingPoint most = r.readScaling().getLast();
            checks.add(new EdgeChecks.Check("read scaling: capacity with " + most.replicas() + " replicas above capacity with none",
                    most.capacityRps() > none.capacityRps(), r.readScaling().stream()
                    .map(p -> String.format("%d: %,.0f/s (%.2fx)", p.replicas(), p.capacityRps(), p.ratioToNone())).collect(Collectors.joining(", "))));
        }
        if (r.readYourWrites() != null) {
            DataLabResult.Reads with = r.readYourWrites().withTokens();
            DataLabResult.Reads without = r.readYourWrites().withoutTokens();
            checks.add(new EdgeChecks.Check("read-your-writes: 0 violations with tokens", with.reads() > 0 && with.violations() == 0,
                    String.format("%,d of %,d reads", with.violations(), with.reads())));
            checks.add(new EdgeChecks.Check("read-your-writes: violations without tokens in the same run", without.violations() > 0,
                    String.format("%,d of %,d reads", without.violations(), without.reads())));
        }
        if (r.replicaKill() != null) {
            DataLabResult.ReplicaKill k = r.replicaKill();
            checks.add(new EdgeChecks.Check("replica kill: no failed request", k.requests() > 0 && k.errors() == 0,
                    String.format("%,d errors of %,d requests; down in the router %d ms after the kill", k.errors(), k.requests(), k.failoverMs())));
        }
        return checks;
    }
}
