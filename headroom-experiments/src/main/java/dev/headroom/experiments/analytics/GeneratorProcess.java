package dev.headroom.experiments.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.analytics.generator.ClickstreamGenerator;
import dev.headroom.experiments.edge.CpuPinning;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The clickstream generator as a process of its own (on the generator's CPU when pinned), sending binary frames
 * to a pipeline's TCP port; what it reports when it ends.
 */
final class GeneratorProcess {
    /** The generator's own report line. */
    record Report(long sent, double seconds, double rate, long behindMs, long cpuMs) { }

    private final Process process;
    private final int seconds;

    private GeneratorProcess(Process process, int seconds) {
        this.process = process;
        this.seconds = seconds;
    }

    static GeneratorProcess start(CpuPinning pinning, int port, long rate, int seconds, long seed) throws IOException {
        List<String> command = new ArrayList<>(pinning.generator());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), ClickstreamGenerator.class.getName(),
                "--port", Integer.toString(port), "--rate", Long.toString(rate), "--duration", Integer.toString(seconds),
                "--seed", Long.toString(seed), "--source", "1"));
        return new GeneratorProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start(), seconds);
    }

    /** Waits for the end of its run (its duration and a minute) and reads its report. */
    Report await() throws IOException, InterruptedException {
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the generator did not finish " + seconds + " s of sending within a minute more");
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the generator failed (exit " + process.exitValue() + "): " + out);
        }
        JsonNode json = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
        return new Report(json.get("sent").asLong(), json.get("seconds").asDouble(), json.get("rate").asDouble(),
                json.get("behind_ms").asLong(), json.get("cpu_ms").asLong());
    }

    void kill() {
        process.destroyForcibly();
    }
}
