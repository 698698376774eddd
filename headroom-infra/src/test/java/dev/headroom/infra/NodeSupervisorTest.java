package dev.headroom.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The supervisor's back-off and give-up, with a node of our own that dies as soon as it is started: no server needed. */
class NodeSupervisorTest {
    private static final NodeSupervisor.Restarts FAST = new NodeSupervisor.Restarts(Duration.ofMillis(20), Duration.ofMillis(80),
            3, Duration.ofMinutes(1));

    @Test
    void aNodeThatKeepsCrashingIsRestartedWithBackOffThenGivenUpOnLoudly() throws Exception {
        CrashingNode node = new CrashingNode();
        List<String> lines = new CopyOnWriteArrayList<>();
        List<Long> restartedAt = new CopyOnWriteArrayList<>();
        try (NodeSupervisor supervisor = NodeSupervisor.watch(List.of(node), Duration.ofMillis(5), FAST, lines::add,
                n -> restartedAt.add(System.nanoTime()))) {
            long start = System.nanoTime();
            while (lines.stream().noneMatch(l -> l.contains("not restarting it again")) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // long past the longest back-off: nothing more happens
        }
        assertThat(node.restarts).as("at most maxRestarts").isEqualTo(3);
        // each wait at least the back-off: 20, 40, 80 ms (the first one counted from the crash being seen)
        assertThat(node.startedAt.get(2) - node.startedAt.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(node.startedAt.get(3) - node.startedAt.get(2)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
        assertThat(lines).filteredOn(l -> l.startsWith("double exited unexpectedly (pid ")).hasSize(4);
        assertThat(lines).anyMatch(l -> l.endsWith("is gone); restarting it in 0.0 s (restart 1 of at most 3 in 60 s)"));
        assertThat(lines).anyMatch(l -> l.endsWith("is gone); restarting it in 0.1 s (restart 3 of at most 3 in 60 s)"));
        assertThat(lines).contains("  last lines of " + node.logFile + ":", "    the double's last words");
        assertThat(lines).last().asString().matches("double crashed 4 times in \\d+ s; not restarting it again");
        assertThat(restartedAt).hasSize(3);
    }

    @Test
    void aFailedRestartCountsAsACrash() throws Exception {
        CrashingNode node = new CrashingNode();
        node.failRestarts = true;
        List<String> lines = new CopyOnWriteArrayList<>();
        try (NodeSupervisor supervisor = NodeSupervisor.watch(List.of(node), Duration.ofMillis(5), FAST, lines::add, n -> { })) {
            long start = System.nanoTime();
            while (lines.stream().noneMatch(l -> l.contains("not restarting it again")) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10)) {
                Thread.sleep(10);
            }
        }
        assertThat(node.restarts).isEqualTo(3);
        assertThat(lines).filteredOn(l -> l.startsWith("double did not restart: no binary; restarting it in")).hasSize(2);
        assertThat(lines).last().asString().matches("double crashed 4 times in \\d+ s; not restarting it again");
    }

    @Test
    void aNodeKilledOnPurposeIsLeftDown() throws Exception {
        CrashingNode node = new CrashingNode();
        node.kill();
        List<String> lines = new CopyOnWriteArrayList<>();
        try (NodeSupervisor supervisor = NodeSupervisor.watch(List.of(node), Duration.ofMillis(5), FAST, lines::add, n -> { })) {
            Thread.sleep(200);
        }
        assertThat(node.restarts).isZero();
        assertThat(lines).isEmpty();
    }

    @Test
    void restartSettingsAreChecked() {
        assertThatThrownBy(() -> new NodeSupervisor.Restarts(Duration.ofSeconds(2), Duration.ofSeconds(1), 5, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDelay must be at least firstDelay (PT2S), was PT1S");
        assertThatThrownBy(() -> new NodeSupervisor.Restarts(Duration.ZERO, Duration.ZERO, 0, Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRestarts must be at least 1, was 0");
        assertThat(NodeSupervisor.Restarts.DEFAULT.delay(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(NodeSupervisor.Restarts.DEFAULT.delay(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(NodeSupervisor.Restarts.DEFAULT.delay(9)).isEqualTo(Duration.ofSeconds(8));
    }

    /** A node whose process has always already exited: each start runs {@code true} and takes its pid once it is gone. */
    private static final class CrashingNode implements Node {
        final Path logFile;
        final List<Long> startedAt = new CopyOnWriteArrayList<>();
        volatile int restarts;
        volatile boolean failRestarts;
        private volatile NodeState state = NodeState.RUNNING;
        private volatile Long pid;

        CrashingNode() throws IOException {
            logFile = java.nio.file.Files.createTempFile("double", ".log");
            logFile.toFile().deleteOnExit();
            java.nio.file.Files.writeString(logFile, "starting\nthe double's last words\n");
            pid = deadPid();
            startedAt.add(System.nanoTime());
        }

        private static long deadPid() {
            try {
                Process p = new ProcessBuilder("true").start();
                p.waitFor();
                return p.pid();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override public String name() { return "double"; }
        @Override public NodeKind kind() { return NodeKind.NODE; }
        @Override public String host() { return "127.0.0.1"; }
        @Override public int port() { return 1; }
        @Override public boolean embedded() { return true; }
        @Override public Optional<Long> pid() { return Optional.ofNullable(pid); }
        @Override public NodeState state() { return state; }
        @Override public Optional<Path> log() { return Optional.of(logFile); }
        @Override public boolean healthy(Duration timeout) { return false; }
        @Override public void stop() { state = NodeState.STOPPED; pid = null; }
        @Override public void kill() { state = NodeState.KILLED; pid = null; }
        @Override public void freeze() { throw new UnsupportedOperationException(); }
        @Override public void thaw() { throw new UnsupportedOperationException(); }
        @Override public void nice(int niceness) { throw new UnsupportedOperationException(); }

        @Override
        public void restart() {
            restarts++;
            startedAt.add(System.nanoTime());
            stop();
            if (failRestarts) {
                throw new InfraException("no binary");
            }
            pid = deadPid();
            state = NodeState.RUNNING;
        }
    }
}
