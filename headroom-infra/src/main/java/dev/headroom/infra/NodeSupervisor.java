package dev.headroom.infra;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Restarts nodes whose process died on its own (a crash, an OOM kill, a {@code kill -9} from outside): every
 * interval it looks at each node meant to be running, and one whose process is gone is restarted on its port and
 * data, after a back-off, within a budget ({@link Restarts}): a node that keeps crashing is given up on, loudly, and
 * stays down. Nodes stopped, killed or frozen through {@link Node} are left as they are: that was asked for.
 *
 * <p>Every line goes to the log it is given: why a node is restarted (its pid gone, and the last lines of its log),
 * when it serves again, a restart that failed, and the give-up: {@code NAME crashed N times in M s; not restarting it
 * again}. One thread looks and restarts, so a restart (seconds for PostgreSQL) holds up the other nodes' checks.
 */
public final class NodeSupervisor implements AutoCloseable {
    /** Lines of a dead node's log quoted with its restart. */
    static final int LOG_LINES = 5;

    /**
     * How a node is restarted: the first restart after {@code firstDelay}, each further one within {@code window} after
     * twice the one before, at most {@code maxDelay}; past {@code maxRestarts} restarts within {@code window} the node is
     * given up on. A restart that fails counts as a crash.
     */
    public record Restarts(Duration firstDelay, Duration maxDelay, int maxRestarts, Duration window) {
        /** 0.5 s, doubling to 8 s, at most 5 restarts in 5 minutes: a crash loop is over in about 16 s. */
        public static final Restarts DEFAULT = new Restarts(Duration.ofMillis(500), Duration.ofSeconds(8), 5, Duration.ofMinutes(5));

        public Restarts {
            if (firstDelay == null || firstDelay.isNegative()) {
                throw new IllegalArgumentException("firstDelay must be 0 or more, was " + firstDelay);
            }
            if (maxDelay == null || maxDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be at least firstDelay (" + firstDelay + "), was " + maxDelay);
            }
            if (maxRestarts < 1) {
                throw new IllegalArgumentException("maxRestarts must be at least 1, was " + maxRestarts);
            }
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive, was " + window);
            }
        }

        /** The wait before the restart that follows {@code earlier} restarts within the window. */
        Duration delay(int earlier) {
            long nanos = firstDelay.toNanos();
            for (int i = 0; i < earlier && nanos < maxDelay.toNanos(); i++) {
                nanos *= 2;
            }
            return Duration.ofNanos(Math.min(nanos, maxDelay.toNanos()));
        }
    }

    private final List<Watched> nodes;
    private final Restarts restarts;
    private final Consumer<String> log;
    private final Consumer<Node> restarted;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "headroom-node-supervisor");
        t.setDaemon(true);
        return t;
    });

    private NodeSupervisor(List<Node> nodes, Restarts restarts, Consumer<String> log, Consumer<Node> restarted) {
        this.nodes = nodes.stream().map(Watched::new).toList();
        this.restarts = restarts;
        this.log = log;
        this.restarted = restarted;
    }

    /** {@link #watch(List, Duration, Restarts, Consumer, Consumer)} with {@link Restarts#DEFAULT}. */
    public static NodeSupervisor watch(List<Node> nodes, Duration every, Consumer<String> log, Consumer<Node> restarted) {
        return watch(nodes, every, Restarts.DEFAULT, log, restarted);
    }

    /**
     * @param every     how often to look
     * @param restarts  the back-off and the budget
     * @param log       gets a line when a node is found dead, when it serves again, and when it is given up on
     * @param restarted called after a node serves again (e.g. to give it back to a load balancer, slow-starting)
     */
    public static NodeSupervisor watch(List<Node> nodes, Duration every, Restarts restarts, Consumer<String> log,
                                       Consumer<Node> restarted) {
        if (every == null || every.isNegative() || every.isZero()) {
            throw new IllegalArgumentException("the supervisor's interval must be positive, was " + every);
        }
        if (restarts == null) {
            throw new IllegalArgumentException("restarts must not be null: give Restarts.DEFAULT");
        }
        NodeSupervisor s = new NodeSupervisor(nodes, restarts, log, restarted);
        s.timer.scheduleWithFixedDelay(s::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return s;
    }

    /** What the supervisor remembers of one node. Only the timer's thread touches it. */
    private static final class Watched {
        final Node node;
        /** When each restart within the window began (nanoTime), oldest first. */
        final Deque<Long> restarts = new ArrayDeque<>();
        /** When the first crash within the window was seen. */
        long firstCrash;
        /** nanoTime of the next restart; 0 when none is due. */
        long due;
        /** The last restart failed, so the node is STOPPED by this supervisor, not by a caller. */
        boolean failed;
        boolean givenUp;

        Watched(Node node) {
            this.node = node;
        }
    }

    private void check() {
        for (Watched w : nodes) {
            try {
                check(w, System.nanoTime());
            } catch (Throwable e) { // any escape would end the scheduled checks for good, silently
                log.accept(w.node.name() + ": the supervisor's check failed: " + e); // the next round tries again
            }
        }
    }

    private void check(Watched w, long now) {
        if (w.givenUp) {
            return;
        }
        if (w.due == 0) {
            if (!died(w.node)) {
                return;
            }
            crashed(w, now, w.node.name() + " exited unexpectedly" + w.node.pid().map(p -> " (pid " + p + " is gone)").orElse(""),
                    lastLines(w.node));
            return;
        }
        // A restart is due: unless a caller took the node over meanwhile (restarted it, or stopped or killed it).
        boolean takenOver = w.failed ? w.node.state() == NodeState.RUNNING && !died(w.node) : !died(w.node);
        if (takenOver) {
            w.failed = false;
            w.due = 0;
            return;
        }
        if (now - w.due < 0) {
            return;
        }
        w.due = 0;
        w.restarts.addLast(now);
        try {
            w.node.restart();
            w.failed = false;
            log.accept(w.node.name() + " serves again at " + w.node.address() + w.node.pid().map(p -> " pid " + p).orElse(""));
        } catch (RuntimeException e) {
            w.failed = true;
            crashed(w, System.nanoTime(), w.node.name() + " did not restart: " + e.getMessage(), List.of());
            return;
        }
        try {
            restarted.accept(w.node);
        } catch (RuntimeException e) { // the node serves: what the caller does with it is not a crash
            log.accept(w.node.name() + " serves again, but telling the caller failed: " + e);
        }
    }

    /** A crash (or a failed restart): the next restart is due after the back-off, or the node is given up on. */
    private void crashed(Watched w, long now, String why, List<String> tail) {
        long windowStart = now - restarts.window().toNanos();
        while (!w.restarts.isEmpty() && w.restarts.peekFirst() - windowStart < 0) {
            w.restarts.removeFirst();
        }
        if (w.restarts.isEmpty()) {
            w.firstCrash = now;
        }
        int earlier = w.restarts.size();
        if (earlier >= restarts.maxRestarts()) {
            w.givenUp = true;
            log.accept(why);
            tail.forEach(log);
            log.accept(String.format("%s crashed %d times in %d s; not restarting it again", w.node.name(), earlier + 1,
                    Math.max(1, Math.round((now - w.firstCrash) / 1e9))));
            return;
        }
        Duration delay = restarts.delay(earlier);
        w.due = now + delay.toNanos();
        if (w.due == 0) {
            w.due = 1; // 0 means "none due"
        }
        log.accept(String.format("%s; restarting it in %.1f s (restart %d of at most %d in %d s)", why, delay.toMillis() / 1000.0,
                earlier + 1, restarts.maxRestarts(), restarts.window().toSeconds()));
        tail.forEach(log);
    }

    /** The end of a node's log: a heading and a few indented lines; none when it has no log. */
    private static List<String> lastLines(Node node) {
        List<String> tail = node.log().map(file -> LogTail.lastLines(file, LOG_LINES)).orElse(List.of());
        if (tail.isEmpty()) {
            return List.of();
        }
        List<String> lines = new java.util.ArrayList<>(List.of("  last lines of " + node.log().orElseThrow() + ":"));
        tail.forEach(line -> lines.add("    " + line));
        return lines;
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
