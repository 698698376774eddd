package dev.headroom.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Finds and stops server processes through their pid files.
 *
 * <p>Both servers outlive a JVM killed with SIGKILL: zonky starts postgres through {@code pg_ctl}, which
 * detaches it, and redis-server is an ordinary child that nobody reaps. A pid file alone is weak evidence (pids
 * are reused), so a process counts as "our left-over server" only when it is alive, its executable is the
 * expected one ({@link ProcessHandle.Info#command()}), and, where {@code /proc} tells, its working directory is
 * the server's data directory (postgres chdirs into its data directory; redis-server into its {@code dir}).
 */
final class ServerProcesses {

    /** How long a server gets to stop after SIGTERM before it is killed. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** How often {@link #awaitEnded} looks: a clean PostgreSQL stop ends within a few of these. */
    private static final Duration ENDED_POLL = Duration.ofMillis(20);

    private ServerProcesses() {
    }

    /**
     * Stops the server named by {@code pidFile} if it is a live {@code executable} working in {@code workDir},
     * reports it, and removes the pid file if the server left it behind.
     */
    static void stopLeftOver(String server, Path pidFile, String executable, Path workDir, Consumer<String> log) {
        Optional<ProcessHandle> leftOver = liveServer(pidFile, executable, workDir);
        if (leftOver.isPresent()) {
            long pid = leftOver.get().pid();
            boolean forced = stop(leftOver.get(), STOP_WAIT);
            log.accept(server + ": stopped a server left running by an earlier run (pid " + pid + ")"
                    + (forced ? ", killed after " + STOP_WAIT.toSeconds() + " s" : ""));
        }
        try {
            // Gone or not ours: a pid file left behind would make postgres refuse to start if its pid is reused.
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new InfraException(server + ": could not remove the stale pid file " + pidFile + ": " + e.getMessage(), e);
        }
    }

    /** The live process named by the first line of {@code pidFile}, if it runs {@code executable} in {@code workDir}. */
    static Optional<ProcessHandle> liveServer(Path pidFile, String executable, Path workDir) {
        return readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(p -> runs(p, executable))
                .filter(p -> worksIn(p.pid(), workDir));
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return pid > 0 ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True if the process's executable file name starts with {@code executable} (e.g. redis-server-7.0.15-linux-amd64). */
    static boolean runs(ProcessHandle process, String executable) {
        ProcessHandle.Info info = process.info();
        Optional<String> command = info.command().or(() -> info.commandLine().map(line -> line.split(" ", 2)[0]));
        return command.map(c -> c.endsWith(" (deleted)") ? c.substring(0, c.length() - " (deleted)".length()) : c)
                .map(c -> Path.of(c).getFileName())
                .map(name -> name != null && name.toString().startsWith(executable))
                .orElse(false);
    }

    /** False only if {@code /proc/<pid>/cwd} is readable and points elsewhere; true where the OS does not tell. */
    static boolean worksIn(long pid, Path dir) {
        Path cwd;
        try {
            cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
        try {
            return cwd.equals(dir.toRealPath());
        } catch (IOException e) {
            return false; // our directory is gone, so the process cannot be working in it
        }
    }

    /**
     * SIGTERM, then up to {@code wait} for the process to exit, then SIGKILL for it and the processes it started.
     *
     * @return true if it had to be killed
     */
    static boolean stop(ProcessHandle process, Duration wait) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        if (awaitExit(process, wait)) {
            return false;
        }
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        awaitExit(process, KILL_WAIT);
        return true;
    }

    /**
     * SIGKILL for the process and every process it started (a postmaster's backends would otherwise keep its
     * shared memory and block a restart), then waits until all are gone.
     */
    static void killTree(ProcessHandle process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process);
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(p -> awaitExit(p, KILL_WAIT));
    }

    /**
     * Sends {@code signal} ({@code STOP} or {@code CONT}) to the process and its descendants. Java has no API
     * for either, so {@code kill(1)} does it. The parent goes first on STOP and last on CONT, so it cannot fork
     * a child that misses the signal.
     */
    static void signalTree(ProcessHandle process, String signal) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(0, process);
        if (signal.equals("CONT")) {
            Collections.reverse(tree);
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        tree.forEach(p -> command.add(Long.toString(p.pid())));
        run(command, "kill -" + signal + " " + process.pid());
    }

    /** Runs a short command, failing with its output when it exits non-zero. */
    private static void run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new InfraException(what + " failed: " + output);
            }
        } catch (IOException e) {
            throw new InfraException("could not run " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfraException("interrupted while running " + what);
        }
    }

    /** {@code renice} for every thread ({@code /proc/PID/task}) of the process and its descendants: Linux nices threads one by one. */
    static void renice(ProcessHandle process, int niceness) {
        List<String> command = new ArrayList<>(List.of("renice", "-n", Integer.toString(niceness), "-p"));
        Stream.concat(Stream.of(process), process.descendants()).forEach(p -> {
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                tasks.forEach(t -> command.add(t.getFileName().toString()));
            } catch (IOException gone) {
                // exited meanwhile: nothing to renice
            }
        });
        run(command, "renice " + process.pid());
    }

    /**
     * Up to {@code wait} for a process that is not this JVM's child to end after an orderly stop: exited, or a
     * zombie. A zombie has let go of everything (ports, shared memory, files) and only waits for init to reap it,
     * which in some containers takes 2 s, while the JDK counts it as alive. Not after SIGKILL: PostgreSQL refuses a
     * data directory whose {@code postmaster.pid} names a pid that {@code kill -0} finds, and a zombie's it finds.
     */
    static boolean awaitEnded(ProcessHandle process, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!ended(process)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(ENDED_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return true;
    }

    /** Exited, or a zombie (see {@link #awaitEnded}). */
    static boolean ended(ProcessHandle process) {
        return !process.isAlive() || zombie(process);
    }

    /** Linux's state Z in {@code /proc/PID/stat} (after the command's closing parenthesis); false without /proc. */
    private static boolean zombie(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int state = stat.lastIndexOf(')') + 2;
            return state < stat.length() && stat.charAt(state) == 'Z';
        } catch (IOException e) {
            return false; // gone (isAlive says so next) or no /proc
        }
    }

    static boolean awaitExit(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
