package dev.headroom.experiments.faults;

import dev.headroom.experiments.ProgressLog;
import dev.headroom.infra.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A server crashing: its process and everything it started {@code kill -9}ed from outside, as the OOM killer or a
 * segfault would, and brought back by the rig's {@link dev.headroom.infra.NodeSupervisor} alone. {@link Node#kill()}
 * would not do: it is an orderly request, and the supervisor leaves a node killed through it as it is. The fault
 * ends when the supervisor reports the node serving again.
 */
final class ProcessCrash implements FaultExperiment {
    /** A restart of PostgreSQL after a crash includes its WAL recovery, a shop node's JVM its start-up: 4 to 8 s on a busy machine. */
    static final Duration BUDGET = Duration.ofSeconds(30);

    private final String name;
    private final String what;
    private final Function<FaultRig, Node> victim;

    private ProcessCrash(String name, String what, Function<FaultRig, Node> victim) {
        this.name = name;
        this.what = what;
        this.victim = victim;
    }

    static ProcessCrash postgres() {
        return new ProcessCrash("pg-kill", "PostgreSQL (the postmaster and its backends)", FaultRig::postgres);
    }

    static ProcessCrash redis() {
        return new ProcessCrash("redis-kill", "Redis", FaultRig::redis);
    }

    /** The last of the shop nodes, so that the first (which a single-node run has alone) is never the one. */
    static ProcessCrash shopNode() {
        return new ProcessCrash("node-kill", "one of the shop nodes' JVMs", rig -> rig.shopNodes().getLast());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description(FaultsLabOptions options) {
        return what + " kill -9ed from outside; the supervisor restarts it";
    }

    @Override
    public Duration budget(FaultsLabOptions options) {
        return BUDGET;
    }

    @Override
    public FaultWindow inject(FaultRig rig, ProgressLog progress) throws Exception {
        Node node = victim.apply(rig);
        long pid = node.pid().orElseThrow(() -> new IllegalStateException(node.name() + " has no process to kill"));
        int restartsBefore = rig.restarts(node);
        long start = System.nanoTime();
        killTree(pid);
        progress.line(node.name() + " (pid " + pid + ") and its children killed with SIGKILL");
        long end = rig.awaitRestart(node, restartsBefore, start + BUDGET.toNanos());
        progress.line(end < 0 ? node.name() + " not back within " + ProgressLog.seconds(BUDGET)
                : String.format("%s back after %,d ms (pid %s)", node.name(), TimeUnit.NANOSECONDS.toMillis(end - start),
                node.pid().map(String::valueOf).orElse("-")));
        return new FaultWindow(start, end);
    }

    /** SIGKILL to the process and its descendants at once (a postmaster's orphaned backends would keep its shared memory), then waits until all are gone. */
    private static void killTree(long pid) throws Exception {
        List<ProcessHandle> tree = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(p -> {
            tree.add(p);
            p.descendants().forEach(tree::add);
        });
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            p.onExit().get(10, TimeUnit.SECONDS);
        }
    }
}
