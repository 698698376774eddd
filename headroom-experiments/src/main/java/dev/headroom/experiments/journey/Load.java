package dev.headroom.experiments.journey;

import dev.headroom.lab.run.LoadRun;
import dev.headroom.lab.run.RunResult;
import dev.headroom.lab.scenario.Scenario;
import dev.headroom.lab.schedule.Schedules;
import dev.headroom.lab.schedule.Stages;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The journey's load on one step's nodes: the scenario's mix, spread evenly over the nodes by the generator, in
 * the open model (arrivals evenly spaced at a rate, as wrk2 sends them: at the low rates of the slow steps, Poisson's
 * spread of a few dozen arrivals would move the count a run is judged by) or the closed one (a fixed number of
 * connections per node). Every run gets its own seed, derived from the journey's, so a re-run draws the same requests.
 */
final class Load {
    /** Connections per node in the open model: more than any step needs in flight at the rates it sustains. */
    static final int CONNECTIONS = 32;
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<URI> targets;
    private final Scenario scenario;
    private final long seed;
    private final Set<Boolean> rehearsed;
    private int runs;

    /**
     * @param rehearsed the models (open: true) whose generator warm-up this JVM already ran, shared by the steps: a
     *                  journey's runs all happen in one JVM, so only its first run of each model starts cold
     */
    Load(List<URI> targets, Scenario scenario, long seed, Set<Boolean> rehearsed) {
        this.targets = List.copyOf(targets);
        this.scenario = scenario;
        this.seed = seed;
        this.rehearsed = rehearsed;
    }

    RunResult open(double rate, Duration warmup, Duration duration) throws IOException, InterruptedException {
        long runSeed = seed + 7919L * runs++;
        Stages stages = Stages.constant(rate, duration.toNanos() / 1e9).withWarmup(warmup.toNanos() / 1e9);
        return LoadRun.open(targets.getFirst(), Schedules.uniform(stages), scenario.workload(runSeed))
                .targets(targets).connections(CONNECTIONS).warmup(warmup).timeout(TIMEOUT).rehearse(rehearsed.add(true)).run();
    }

    RunResult closed(int perTarget, Duration warmup, Duration duration) throws IOException, InterruptedException {
        long runSeed = seed + 7919L * runs++;
        return LoadRun.closed(targets.getFirst(), perTarget, duration, scenario.workload(runSeed))
                .targets(targets).warmup(warmup).timeout(TIMEOUT).rehearse(rehearsed.add(false)).run();
    }
}
