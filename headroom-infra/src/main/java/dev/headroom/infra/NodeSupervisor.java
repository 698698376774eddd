package dev.headroom.infra;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Restarts nodes whose process died on its own (a crash, an OOM kill, a {@code kill -9} from outside): every
 * interval it looks at each node meant to be running, and one whose process is gone is restarted on its port and
 * data. Nodes stopped, killed or frozen through {@link Node} are left as they are: that was asked for.
 */
public final class NodeSupervisor implements AutoCloseable {
    private final List<Node> nodes;
    private final Consumer<String> log;
    private final Consumer<Node> restarted;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "headroom-node-supervisor");
        t.setDaemon(true);
        return t;
    });

    private NodeSupervisor(List<Node> nodes, Consumer<String> log, Consumer<Node> restarted) {
        this.nodes = List.copyOf(nodes);
        this.log = log;
        this.restarted = restarted;
    }

    /**
     * @param every     how often to look
     * @param log       gets a line when a node is found dead and when it serves again
     * @param restarted called after a node serves again (e.g. to give it back to a load balancer, slow-starting)
     */
    public static NodeSupervisor watch(List<Node> nodes, Duration every, Consumer<String> log, Consumer<Node> restarted) {
        if (every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the supervisor's interval must be positive, was " + every);
        }
        NodeSupervisor s = new NodeSupervisor(nodes, log, restarted);
        s.timer.scheduleWithFixedDelay(s::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    private void check() {
        for (Node node : nodes) {
            if (died(node)) {
                log.accept(node.name() + " exited unexpectedly; restarting it");
                try {
                    node.restart();
                    log.accept(node.name() + " serves again at " + node.address() + node.pid().map(p -> " pid " + p).orElse(""));
                    restarted.accept(node);
                } catch (RuntimeException e) {
                    log.accept(node.name() + " did not restart: " + e.getMessage() + "; trying again");
                }
            }
        }
    }

    /** Meant to be running, and its process is gone. */
    static boolean died(Node node) {
        if (node.state() != NodeState.RUNNING) {
            return false;
        }
        Optional<Long> pid = node.pid();
        return pid.isPresent() && ProcessHandle.of(pid.get()).map(p -> !p.isAlive()).orElse(true);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
