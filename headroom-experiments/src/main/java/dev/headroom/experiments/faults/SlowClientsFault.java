package dev.headroom.experiments.faults;

import dev.headroom.experiments.Pause;
import dev.headroom.experiments.ProgressLog;
import dev.headroom.experiments.slowclients.AttackerProcess;
import java.net.URI;
import java.time.Duration;

/**
 * Slow clients at the front door: an attacker in its own JVM (on the generator's CPU) opens {@link #connections}
 * connections to the edge, spread over source addresses 127.0.0.2 and up, each sending a request header one byte at a
 * time and reconnecting when cut, and holds them for {@link FaultsLabOptions#faultLength()}. The normal load's p99
 * during the attack against before it is the cost of holding them; the edge's header timeout cuts what stays longer.
 * The fault ends when the attacker is stopped and its connections closed.
 */
final class SlowClientsFault implements FaultExperiment {
    private static final Duration RAMP = Duration.ofSeconds(30);

    static int connections(FaultsLabOptions options) {
        return options.quick() ? 300 : 10_000;
    }

    private static int perAddress(FaultsLabOptions options) {
        return options.quick() ? 100 : 1_000;
    }

    private static Duration byteInterval(FaultsLabOptions options) {
        return options.quick() ? Duration.ofMillis(500) : Duration.ofSeconds(3);
    }

    @Override
    public String name() {
        return "slow-clients";
    }

    @Override
    public String description(FaultsLabOptions options) {
        return String.format("%,d slow clients (a header byte every %s, reconnecting when cut) held against the edge for %s",
                connections(options), ProgressLog.seconds(byteInterval(options)), ProgressLog.seconds(options.faultLength()));
    }

    @Override
    public Duration budget(FaultsLabOptions options) {
        return RAMP.plus(options.faultLength());
    }

    @Override
    public FaultWindow inject(FaultRig rig, ProgressLog progress) throws Exception {
        FaultsLabOptions options = rig.options();
        int wanted = connections(options);
        long start = System.nanoTime();
        try (AttackerProcess attacker = AttackerProcess.start(rig.clientPrefix(), URI.create(rig.edgeUrl()), wanted, perAddress(options),
                byteInterval(options), budget(options).plusSeconds(10))) {
            AttackerProcess.Report held = attacker.awaitOpen(wanted, RAMP);
            progress.line(String.format("slow clients: %,d of %,d open after %,d ms", held.open(), wanted,
                    Duration.ofNanos(System.nanoTime() - start).toMillis()));
            Pause.until(System.nanoTime() + options.faultLength().toNanos());
            AttackerProcess.Report last = attacker.stop();
            long end = System.nanoTime();
            progress.line(String.format("slow clients stopped: at most %,d held at once, %,d cut, %,d refused, %,d connects failed",
                    last.maxOpen(), last.cut(), last.refused(), last.connectFailed()));
            return new FaultWindow(start, end);
        }
    }
}
