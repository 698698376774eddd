package dev.headroom.experiments.faults;

import dev.headroom.experiments.Pause;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.Node;
import java.time.Duration;

/**
 * PostgreSQL frozen: {@code SIGSTOP} to the postmaster and its backends ({@link Node#freeze()}), then {@code SIGCONT}
 * after {@link FaultsLabOptions#faultLength()}. Connections stay open and nothing is answered: the shop sees no
 * error, only waits. The fault ends at the thaw.
 */
final class PostgresFreeze implements FaultExperiment {
    @Override
    public String name() {
        return "pg-freeze";
    }

    @Override
    public String description(FaultsLabOptions options) {
        return "PostgreSQL frozen (SIGSTOP) for " + ProgressLog.seconds(options.faultLength()) + ", then thawed";
    }

    @Override
    public Duration budget(FaultsLabOptions options) {
        return options.faultLength();
    }

    @Override
    public FaultWindow inject(FaultRig rig, ProgressLog progress) {
        Node pg = rig.postgres();
        long start = System.nanoTime();
        pg.freeze();
        progress.line("PostgreSQL frozen (SIGSTOP)");
        Pause.until(start + rig.options().faultLength().toNanos());
        pg.thaw();
        long end = System.nanoTime();
        progress.line("PostgreSQL thawed (SIGCONT)");
        return new FaultWindow(start, end);
    }
}
