package dev.headroom.infra;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.headroom.infra.TestSupport.alive;
import static dev.headroom.infra.TestSupport.queryOne;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Servers outlive a JVM killed with SIGKILL; the next start on the same directory must stop them. The JVM that
 * gets killed is a child running {@link InfraChild}.
 */
class LeftOverServerTest {

    @TempDir
    Path dir;

    private Child child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void serversOfAKilledJvmAreStoppedByTheNextStart() throws Exception {
        child = Child.start(TestDirs.initialized(dir), false);
        long pgPid = ServerProcesses.readPid(dir.resolve("postgres/postmaster.pid")).orElseThrow();
        long redisPid = ServerProcesses.readPid(dir.resolve("redis/redis.pid")).orElseThrow();
        assertThat(alive(pgPid)).isTrue();
        assertThat(alive(redisPid)).isTrue();

        // While the child lives, it owns the directory.
        assertThatThrownBy(() -> start(new CopyOnWriteArrayList<>()))
                .isInstanceOf(InfraException.class)
                .hasMessage("postgres: data directory " + dir.toAbsolutePath().normalize().resolve("postgres")
                        + " is in use by another running headroom process (it holds epg-lock); stop that process or use another --data-dir");
        assertThat(alive(pgPid)).isTrue();

        child.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(alive(pgPid)).as("postgres outlives the killed JVM").isTrue();
        assertThat(alive(redisPid)).as("redis-server outlives the killed JVM").isTrue();

        List<String> lines = new CopyOnWriteArrayList<>();
        try (Infra infra = start(lines)) {
            assertThat(lines).contains(
                    "postgres: stopped a server left running by an earlier run (pid " + pgPid + ")",
                    "redis: stopped a server left running by an earlier run (pid " + redisPid + ")");
            assertThat(alive(pgPid)).isFalse();
            assertThat(alive(redisPid)).isFalse();
            assertThat(queryOne(infra.topology().primary(), "SELECT 1")).isEqualTo("1");
            assertThat(TestSupport.redis(infra.topology().redis(), "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void sigtermStopsTheServersWhenStopOnShutdownIsOn() throws Exception {
        child = Child.start(TestDirs.initialized(dir), true);
        long pgPid = ServerProcesses.readPid(dir.resolve("postgres/postmaster.pid")).orElseThrow();
        long redisPid = ServerProcesses.readPid(dir.resolve("redis/redis.pid")).orElseThrow();

        child.process.destroy(); // SIGTERM, like Ctrl-C or a service manager
        assertThat(child.process.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(alive(pgPid)).isFalse();
        assertThat(alive(redisPid)).isFalse();
        assertThat(child.output()).contains("LOG redis: stopped", "LOG postgres: stopped");
    }

    private Infra start(List<String> lines) {
        return Infra.builder().dataDir(dir).postgresPort(0).redisPort(0).stopOnShutdown(false).log(lines::add).start();
    }

    /** A JVM running {@link InfraChild}; its output goes to a file (a pipe loses what is written just before exit). */
    private record Child(Process process, Path outputFile) {

        static Child start(Path dir, boolean stopOnShutdown) throws IOException, InterruptedException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path outputFile = dir.resolve("child.out");
            Process process = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                    "-cp", System.getProperty("java.class.path"),
                    InfraChild.class.getName(), dir.toString(), Boolean.toString(stopOnShutdown))
                    .redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile())
                    .start();
            Child child = new Child(process, outputFile);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (child.output().stream().noneMatch(line -> line.startsWith("READY "))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("child did not get ready:\n" + String.join("\n", child.output()));
                }
                Thread.sleep(50);
            }
            return child;
        }

        List<String> output() throws IOException {
            return Files.readAllLines(outputFile, StandardCharsets.UTF_8);
        }
    }
}
