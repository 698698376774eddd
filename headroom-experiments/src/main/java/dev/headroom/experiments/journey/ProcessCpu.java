package dev.headroom.experiments.journey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time a process used, its exited children included: what {@code /proc/PID/stat} counts (user, system, and
 * the same for reaped children), plus the live children. PostgreSQL forks a backend per connection, and without a
 * pool each request's backend exits right after: only the reaped-children fields still hold its CPU.
 */
final class ProcessCpu {
    /** Linux reports these fields in clock ticks of 1/100 s ({@code USER_HZ}, 100 on every Linux ABI in use). */
    private static final double TICK_SECONDS = 0.01;

    private ProcessCpu() {
    }

    /** Seconds of CPU; 0 when the process is gone or {@code /proc} is not there (not Linux). */
    static double seconds(long pid) {
        double own = ticks(pid) * TICK_SECONDS;
        double live = ProcessHandle.of(pid).stream().flatMap(ProcessHandle::descendants)
                .mapToDouble(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9).sum();
        return own + live;
    }

    /** utime + stime + cutime + cstime: fields 14 to 17, counted after the command name's closing parenthesis. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state): field n is f[n - 3]
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
