package dev.headroom.experiments.slowclients;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link SlowClientAttacker} in its own JVM (after a prefix such as {@code taskset -c 1}), and its latest report line. */
public final class AttackerProcess implements AutoCloseable {
    /** One report line of the attacker. */
    public record Report(long open, long maxOpen, long opened, long cut, long refused, long connectFailed, boolean last) {
        static final Report NONE = new Report(0, 0, 0, 0, 0, 0, false);

        static Report parse(String line) throws IOException {
            JsonNode j = new ObjectMapper().readTree(line);
            return new Report(j.get("open").asLong(), j.get("max_open").asLong(), j.get("opened").asLong(), j.get("cut").asLong(),
                    j.get("refused").asLong(), j.get("connect_failed").asLong(), j.get("final").asBoolean());
        }
    }

    private final Process process;
    private final AtomicReference<Report> latest = new AtomicReference<>(Report.NONE);
    private final Thread reader;

    private AttackerProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("slow-clients-report").start(this::readReports);
    }

    public static AttackerProcess start(List<String> commandPrefix, URI target, int connections, int perAddress, Duration interval, Duration maxRun)
            throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), SlowClientAttacker.class.getName(),
                "--host", target.getHost(), "--port", Integer.toString(target.getPort()), "--connections", Integer.toString(connections),
                "--per-address", Integer.toString(perAddress), "--interval-ms", Long.toString(interval.toMillis()),
                "--max-seconds", Long.toString(maxRun.toSeconds())));
        return new AttackerProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    private void readReports() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("{")) {
                    latest.set(Report.parse(line));
                }
            }
        } catch (IOException e) {
            // the process is gone; its last report stays
        }
    }

    /** Waits until it holds {@code connections} open (or {@code timeout} passes); what it holds then. */
    public Report awaitOpen(long connections, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (latest.get().open() < connections && System.nanoTime() < end && process.isAlive()) {
            Thread.sleep(200);
        }
        return latest.get();
    }

    /** Stops the attack (its stdin closed) and returns its final report. */
    public Report stop() throws IOException, InterruptedException {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the slow-client attacker did not stop within 30 s of being told to");
        }
        reader.join(5_000);
        if (process.exitValue() != 0 || !latest.get().last()) {
            throw new IllegalStateException("the slow-client attacker failed (exit " + process.exitValue() + ") before its final report");
        }
        return latest.get();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
