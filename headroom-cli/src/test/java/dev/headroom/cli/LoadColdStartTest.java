package dev.headroom.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code headroom load} in a JVM of its own, started cold as a user starts it. Its own cold start (class
 * loading, the JIT, a collection of its start-up garbage) must stay out of the measured part: before the
 * generator rehearsed against a loopback server of its own, every such 5 s run at 500/s was invalid for
 * schedule lag (p99 13–70 ms, in the first second). The server counts what reaches it, so the rehearsal
 * is also seen to send the target nothing.
 */
class LoadColdStartTest {
    private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aColdGeneratorIsOnScheduleFromItsFirstSecondAndSendsOnlyThePlan() throws Exception {
        AtomicLong received = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/", ex -> {
            received.incrementAndGet();
            ex.sendResponseHeaders(200, OK.length);
            ex.getResponseBody().write(OK);
            ex.close();
        });
        server.start();
        try {
            Path json = dir.resolve("cold.json");
            Path output = dir.resolve("cold.out");
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xss512k", "-XX:+UseG1GC", "-Xmx2g", "--enable-native-access=ALL-UNNAMED", // the headroom script's JVM
                    "-cp", System.getProperty("java.class.path"), Headroom.class.getName(),
                    "load", "--rate", "500", "--duration", "5s", "--json", json.toString(),
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String printed = Files.readString(output);
            assertThat(ended).as(printed).isTrue();
            assertThat(process.exitValue()).as(printed).isZero();
            JsonNode r = new ObjectMapper().readTree(Files.readString(json));
            assertThat(r.get("valid").asBoolean()).as(printed).isTrue();
            assertThat(r.get("requests").asLong()).isEqualTo(2500);
            assertThat(received.get()).as("requests the target received").isEqualTo(2500);
        } finally {
            server.stop(0);
        }
    }
}
