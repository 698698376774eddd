package dev.headroom.experiments.faults;

import dev.headroom.experiments.Pause;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.proxy.TcpProxy;
import java.time.Duration;

/**
 * The network between the shop and PostgreSQL failing, on the {@link TcpProxy} every shop node reaches the database
 * through: first slow ({@link #ADDED} per round trip for {@link FaultsLabOptions#faultLength()}), then cut (every
 * connection reset, new ones refused) for as long, then healed. The fault ends at the heal.
 */
final class DatabaseLinkFault implements FaultExperiment {
    static final Duration ADDED = Duration.ofMillis(200);

    @Override
    public String name() {
        return "db-link";
    }

    @Override
    public String description(FaultsLabOptions options) {
        String length = ProgressLog.seconds(options.faultLength());
        return "the shop-to-PostgreSQL link +" + ADDED.toMillis() + " ms per round trip for " + length + ", then cut (connections reset, new ones refused) for "
                + length + ", then healed";
    }

    @Override
    public Duration budget(FaultsLabOptions options) {
        return options.faultLength().multipliedBy(2);
    }

    @Override
    public FaultWindow inject(FaultRig rig, ProgressLog progress) {
        TcpProxy link = rig.databaseLink();
        long length = rig.options().faultLength().toNanos();
        long start = System.nanoTime();
        link.latency(ADDED);
        progress.line("database link slow: +" + ADDED.toMillis() + " ms per round trip");
        Pause.until(start + length);
        link.refuseNew(true);
        link.cutAll();
        progress.line("database link cut: connections reset, new ones refused");
        Pause.until(start + 2 * length);
        link.latency(Duration.ZERO);
        link.refuseNew(false);
        long end = System.nanoTime();
        progress.line("database link healed");
        return new FaultWindow(start, end);
    }
}
