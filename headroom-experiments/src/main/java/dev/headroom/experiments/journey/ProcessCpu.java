package dev.headroom.experiments.journey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * CPU time a process used, read from {@code /proc}. For PostgreSQL, with its exited children: it forks a backend
 * per connection, and without a pool each request's backend exits right after, so only the reaped-children fields
 * still hold its CPU. For a JVM, without its JIT compiler threads: a fresh node compiles for its first minute, and
 * that warm-up is not what a request costs.
 */
final class ProcessCpu {
    /** Linux reports these fields in clock ticks of 1/100 s ({@code USER_HZ}, 100 on every Linux ABI in use). */
    private static final double TICK_SECONDS = 0.01;
    /** HotSpot's compiler threads, as {@code /proc} names them (15 characters at most). */
    private static final String COMPILER_THREAD = "C[12] CompilerThre.*";

    private ProcessCpu() {
    }

    /** Seconds of CPU of the process, its reaped children and its live ones; 0 when it is gone or there is no {@code /proc}. */
    static double withChildren(long pid) {
        double own = fields(Path.of("/proc", Long.toString(pid), "stat"), true) * TICK_SECONDS;
        double live = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                .mapToDouble(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9).sum();
        return own + live;
    }

    /** Seconds of CPU of a JVM less its live JIT compiler threads; 0 when it is gone or there is no {@code /proc}. */
    static double withoutCompiler(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        long compiler = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            compiler = tasks.filter(t -> name(t).matches(COMPILER_THREAD)).mapToLong(t -> fields(t.resolve("stat"), false)).sum();
        } catch (IOException gone) {
            // no threads to take out
        }
        return (fields(proc.resolve("stat"), false) - compiler) * TICK_SECONDS;
    }

    private static String name(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException gone) {
            return "";
        }
    }

    /** utime + stime (fields 14, 15), and with {@code children} cutime + cstime (16, 17), counted after the name's ')'. */
    private static long fields(Path stat, boolean children) {
        try {
            String text = Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): field n is f[n - 3]
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return children ? ticks + Long.parseLong(f[13]) + Long.parseLong(f[14]) : ticks;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
